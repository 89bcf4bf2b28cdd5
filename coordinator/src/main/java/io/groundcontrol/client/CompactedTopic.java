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
    this.topic = topic;
    this.consumer = new KafkaConsumer<>(KafkaClients.reader(kafka), new StringDeserializer(),
        new ByteArrayDeserializer());
    // The trigger topic watcher makes one every 5 s while its checks fail.
    partitions.addAll(TopicPartitions.setUpOrClose(consumer, () -> {
      List<TopicPartition> found = TopicPartitions.of(consumer, topic);
      consumer.assign(found);
      return found;
    }));
  }

  /** The latest value of every key now in {@code topic}, tombstones removing keys; empty if there is no topic. */
  public static <V> Map<String, V> read(KafkaConnection kafka, String topic, Deserializer<V> values) {
    Map<String, V> latest = new LinkedHashMap<>();
    try (CompactedTopic reader = new CompactedTopic(kafka, topic)) {
      reader.scan((key, value) -> {
        if (value == null) {
          latest.remove(key);
        } else {
          latest.put(key, values.deserialize(topic, value));
        }
      });
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
    long start = System.nanoTime();
    consumer.seekToBeginning(partitions);
    Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
    while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
      if (System.nanoTime() - start >= timeout.toNanos()) {
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
