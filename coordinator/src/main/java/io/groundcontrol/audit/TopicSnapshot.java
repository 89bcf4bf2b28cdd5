package io.groundcontrol.audit;

import io.groundcontrol.client.KafkaConnection;
import io.groundcontrol.client.MissingTopicException;
import io.groundcontrol.client.TopicPartitions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * One whole topic as it stood when the snapshot was opened: every committed record from the
 * beginning up to the end offsets taken then (read_committed), keys as strings, values as bytes.
 * Opening fixes the end; reading can come later, so two topics can be snapshot in a chosen order.
 * Reads by assignment, outside any consumer group, and commits nothing.
 */
final class TopicSnapshot implements AutoCloseable {
  /** Longest a read may go without getting closer to the end before it gives up. */
  private static final Duration STALL_LIMIT = Duration.ofSeconds(60);

  private final org.apache.kafka.clients.consumer.Consumer<String, byte[]> consumer;
  private final List<TopicPartition> partitions = new ArrayList<>();
  private final Map<TopicPartition, Long> end;
  private final String topic;

  private TopicSnapshot(org.apache.kafka.clients.consumer.Consumer<String, byte[]> consumer, String topic,
      List<TopicPartition> found) {
    this.consumer = consumer;
    this.topic = topic;
    partitions.addAll(found);
    consumer.assign(partitions);
    this.end = consumer.endOffsets(partitions);
  }

  /**
   * Opens a snapshot of {@code topic}, waiting for its partitions as long as the other tools'
   * readers do ({@link TopicPartitions#LOOKUP_TIMEOUT}).
   *
   * @param missing what to say when the topic does not exist, after "Expected topic T to exist, but it does not: "
   * @throws IllegalStateException if the topic does not exist
   * @throws io.groundcontrol.client.NoAnswerException if Kafka did not tell its partitions in time
   */
  static TopicSnapshot open(KafkaConnection kafka, String topic, String missing) {
    return open(new KafkaConsumer<>(readerConfig(kafka), new StringDeserializer(), new ByteArrayDeserializer()),
        topic, missing);
  }

  /** As {@link #open(KafkaConnection, String, String)}, reading through {@code consumer}, which it closes. */
  static TopicSnapshot open(org.apache.kafka.clients.consumer.Consumer<String, byte[]> consumer, String topic,
      String missing) {
    return TopicPartitions.setUpOrClose(consumer, () -> {
      List<TopicPartition> found = TopicPartitions.of(consumer, topic);
      if (found.isEmpty()) {
        throw new MissingTopicException("Expected topic " + topic + " to exist, but it does not: " + missing);
      }
      return new TopicSnapshot(consumer, topic, found);
    });
  }

  /** Calls {@code visitor} with every record of the snapshot, in offset order per partition. */
  void forEach(Consumer<ConsumerRecord<String, byte[]>> visitor) {
    consumer.seekToBeginning(partitions);
    long lastProgress = System.nanoTime();
    while (!reached()) {
      int polled = 0;
      for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
        polled++;
        if (record.offset() < end.get(new TopicPartition(record.topic(), record.partition()))) {
          visitor.accept(record);
        }
      }
      if (polled > 0) {
        lastProgress = System.nanoTime();
      } else if (System.nanoTime() - lastProgress > STALL_LIMIT.toNanos()) {
        throw new IllegalStateException("Reading " + topic + " made no progress for " + STALL_LIMIT + " at " + positions()
            + ", short of its end " + end);
      }
    }
  }

  /** The topic's partition count. */
  int partitionCount() {
    return partitions.size();
  }

  private boolean reached() {
    for (TopicPartition partition : partitions) {
      if (consumer.position(partition) < end.get(partition)) {
        return false;
      }
    }
    return true;
  }

  private Map<TopicPartition, Long> positions() {
    Map<TopicPartition, Long> positions = new HashMap<>();
    partitions.forEach(p -> positions.put(p, consumer.position(p)));
    return positions;
  }

  private static Map<String, Object> readerConfig(KafkaConnection kafka) {
    Map<String, Object> props = kafka.clientConfig();
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, "groundcontrol-audit-" + UUID.randomUUID());
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
    return props;
  }

  @Override
  public void close() {
    consumer.close();
  }
}
