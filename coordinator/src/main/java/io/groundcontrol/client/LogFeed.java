package io.groundcontrol.client;

import io.groundcontrol.schema.wire.WireFormatException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A log as it grows, read once per process from its end (committed records only) and handed to
 * every listener. A record this release cannot decode is skipped: it says nothing about the others.
 *
 * @param <V> the decoded value of a record
 */
public final class LogFeed<V> implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LogFeed.class);

  private final String topic;
  private final Deserializer<V> values;
  private final List<Consumer<V>> listeners = new CopyOnWriteArrayList<>();
  private final TopicFollower follower;

  /**
   * Starts following {@code topic} from its current end.
   *
   * @throws IllegalStateException if the topic does not exist
   */
  public LogFeed(KafkaConnection kafka, String topic, Deserializer<V> values) {
    this.topic = topic;
    this.values = values;
    KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(KafkaClients.reader(kafka), new StringDeserializer(),
        new ByteArrayDeserializer());
    TopicPartitions.setUpOrClose(consumer, () -> {
      List<TopicPartition> partitions = TopicPartitions.of(consumer, topic);
      if (partitions.isEmpty()) {
        throw new MissingTopicException("Expected topic " + topic + " to exist, but it does not");
      }
      consumer.assign(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      end.forEach(consumer::seek);
      return end;
    });
    this.follower = new TopicFollower("groundcontrol-feed-" + topic, consumer, this::deliver);
  }

  /** Calls {@code listener} with every record's value from now on, on the feed's thread; it must not block. */
  public AutoCloseable subscribe(Consumer<V> listener) {
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  private void deliver(ConsumerRecords<String, byte[]> records) {
    for (ConsumerRecord<String, byte[]> record : records) {
      if (record.value() == null) {
        continue;
      }
      V value;
      try {
        value = values.deserialize(record.topic(), record.value());
      } catch (WireFormatException e) {
        continue;
      }
      for (Consumer<V> listener : listeners) {
        try {
          listener.accept(value);
        } catch (RuntimeException e) {
          LOG.warn("A listener of {} failed on the record at offset {} of partition {}", topic, record.offset(),
              record.partition(), e);
        }
      }
    }
  }

  @Override
  public void close() {
    follower.close();
  }
}
