package io.groundcontrol.client;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The latest value of every key of a compacted topic, kept by this process: read from the
 * beginning, then followed, so a change anywhere is seen here within a poll (e.g. each
 * component's status, for the API and the metrics, without reading the topic per request).
 *
 * @param <V> the decoded value; a tombstone removes its key
 */
public final class LiveTable<V> implements AutoCloseable {
  private final KafkaConsumer<String, byte[]> consumer;
  private final Function<ConsumerRecord<String, byte[]>, V> values;
  private final Map<String, V> latest = new ConcurrentHashMap<>();
  private final CountDownLatch caughtUp = new CountDownLatch(1);
  private final TopicFollower follower;

  /**
   * Starts reading {@code topic} from its beginning.
   *
   * @throws IllegalStateException if the topic does not exist
   */
  public LiveTable(KafkaConnection kafka, String topic, Deserializer<V> values) {
    this(kafka, topic, (Function<ConsumerRecord<String, byte[]>, V>) r -> values.deserialize(r.topic(), r.value()));
  }

  /**
   * Starts reading {@code topic} from its beginning, keeping of each record what {@code read} takes
   * from it (e.g. its offset and time, not its value).
   *
   * @throws IllegalStateException if the topic does not exist
   */
  public static <V> LiveTable<V> ofRecords(KafkaConnection kafka, String topic,
      Function<ConsumerRecord<String, byte[]>, V> read) {
    return new LiveTable<>(kafka, topic, read);
  }

  private LiveTable(KafkaConnection kafka, String topic, Function<ConsumerRecord<String, byte[]>, V> values) {
    this.values = values;
    this.consumer = new KafkaConsumer<>(KafkaClients.reader(kafka), new StringDeserializer(),
        new ByteArrayDeserializer());
    Map<TopicPartition, Long> end = TopicPartitions.setUpOrClose(consumer, () -> {
      List<TopicPartition> partitions = TopicPartitions.of(consumer, topic);
      if (partitions.isEmpty()) {
        throw new MissingTopicException("Expected topic " + topic + " to exist, but it does not");
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      return consumer.endOffsets(partitions);
    });
    this.follower = new TopicFollower("groundcontrol-table-" + topic, consumer, records -> apply(records, end));
  }

  /** Waits until what the topic held at start is read; false on timeout. */
  public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
    return caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Every key's latest value, by key. */
  public Map<String, V> all() {
    return new TreeMap<>(latest);
  }

  /** The latest value of {@code key}, if it has one. */
  public Optional<V> get(String key) {
    return Optional.ofNullable(latest.get(key));
  }

  private void apply(ConsumerRecords<String, byte[]> records, Map<TopicPartition, Long> end) {
    for (ConsumerRecord<String, byte[]> record : records) {
      if (record.key() == null) {
        continue;
      }
      if (record.value() == null) {
        latest.remove(record.key());
        continue;
      }
      try {
        latest.put(record.key(), values.apply(record));
      } catch (RuntimeException e) {
        // A record this release cannot read says nothing about the others.
      }
    }
    if (caughtUp.getCount() > 0 && end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
      caughtUp.countDown();
    }
  }

  @Override
  public void close() {
    follower.close();
  }
}
