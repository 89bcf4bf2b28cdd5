package io.groundcontrol.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads a topic keyed by name (schedules, triggers, schedule events) with committed reads: to its
 * end, or onwards until an answer comes.
 */
public final class CompactedTopic implements AutoCloseable {
  private final KafkaConsumer<String, byte[]> consumer;
  private final String topic;
  private final List<TopicPartition> partitions = new ArrayList<>();

  /** A reader of {@code topic}; it reads nothing if the topic does not exist. */
  public CompactedTopic(KafkaConnection kafka, String topic) {
    this(kafka, topic, TopicPartitions.LOOKUP_TIMEOUT);
  }

  /**
   * As {@link #CompactedTopic(KafkaConnection, String)}, waiting at most {@code lookup} for the
   * topic's partitions.
   *
   * @throws org.apache.kafka.common.errors.TimeoutException if Kafka did not tell them in time
   */
  public CompactedTopic(KafkaConnection kafka, String topic, Duration lookup) {
    this.topic = topic;
    this.consumer = new KafkaConsumer<>(KafkaClients.reader(kafka), new StringDeserializer(),
        new ByteArrayDeserializer());
    // The trigger topic watcher makes one every 5 s while its checks fail.
    partitions.addAll(TopicPartitions.setUpOrClose(consumer, () -> {
      List<TopicPartition> found = TopicPartitions.of(consumer, topic, lookup);
      consumer.assign(found);
      return found;
    }));
  }

  /** The latest value of every key now in {@code topic}, tombstones removing keys; empty if there is no topic. */
  public static <V> Map<String, V> read(KafkaConnection kafka, String topic, Deserializer<V> values) {
    return read(kafka, topic, values, Duration.ofNanos(Long.MAX_VALUE));
  }

  /**
   * As {@link #read(KafkaConnection, String, Deserializer)}, within {@code limit}, every call to
   * Kafka included: a step of a write that must know what exists first.
   *
   * @throws org.apache.kafka.common.errors.TimeoutException if the topic was not read to its end in time
   */
  public static <V> Map<String, V> read(KafkaConnection kafka, String topic, Deserializer<V> values, Duration limit) {
    ReadDeadline deadline = ReadDeadline.in(limit);
    Map<String, V> latest = new LinkedHashMap<>();
    try (CompactedTopic reader = new CompactedTopic(kafka, topic, deadline.remaining(TopicPartitions.LOOKUP_TIMEOUT))) {
      boolean whole = reader.scanRecords(record -> {
        if (record.value() == null) {
          latest.remove(record.key());
        } else {
          latest.put(record.key(), values.deserialize(topic, record.value()));
        }
      }, deadline);
      if (!whole) {
        throw new org.apache.kafka.common.errors.TimeoutException("Expected to read topic " + topic
            + " to its end within " + WriteWait.phrase(limit) + ", but Kafka did not answer in time");
      }
    }
    return latest;
  }

  /** Every record now in the topic, in order per partition; a tombstone's value is null. */
  public void scan(BiConsumer<String, byte[]> sink) {
    scan(sink, Duration.ofNanos(Long.MAX_VALUE));
  }

  /**
   * As {@link #scan(BiConsumer)}, for up to {@code timeout}.
   *
   * @return whether every record now in the topic was passed on
   */
  public boolean scan(BiConsumer<String, byte[]> sink, Duration timeout) {
    return scanRecords(record -> sink.accept(record.key(), record.value()), timeout);
  }

  /**
   * Every record now in the topic, in order per partition, with its timestamp; for up to {@code timeout}.
   *
   * @return whether every record now in the topic was passed on
   */
  public boolean scanRecords(Consumer<ConsumerRecord<String, byte[]>> sink, Duration timeout) {
    return scanRecords(sink, ReadDeadline.in(timeout));
  }

  private boolean scanRecords(Consumer<ConsumerRecord<String, byte[]>> sink, ReadDeadline deadline) {
    consumer.seekToBeginning(partitions);
    Map<TopicPartition, Long> end = consumer.endOffsets(partitions, deadline.remaining());
    while (partitions.stream().anyMatch(p -> consumer.position(p, deadline.remaining()) < end.get(p))) {
      if (deadline.passed()) {
        return false;
      }
      consumer.poll(Duration.ofMillis(200)).forEach(sink);
    }
    return true;
  }

  /** The current end of every partition: where to {@link #follow} from before sending a command. */
  public Map<TopicPartition, Long> endOffsets() {
    return consumer.endOffsets(partitions);
  }

  /** As {@link #endOffsets()}, waiting at most {@code timeout} for Kafka. */
  public Map<TopicPartition, Long> endOffsets(Duration timeout) {
    return consumer.endOffsets(partitions, timeout);
  }

  /**
   * Passes records from {@code from} on to {@code answer} until it returns true or {@code timeout} passes.
   *
   * @return whether an answer came
   */
  public boolean follow(Map<TopicPartition, Long> from, Predicate<ConsumerRecord<String, byte[]>> answer,
      Duration timeout) {
    from.forEach(consumer::seek);
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
        if (answer.test(record)) {
          return true;
        }
      }
    }
    return false;
  }

  @Override
  public void close() {
    consumer.close();
  }
}
