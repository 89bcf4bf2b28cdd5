package io.groundcontrol.coordinator;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.consumer.ConsumerInterceptor;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.processor.TimestampExtractor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records with an invalid (negative) timestamp, such as -1 (no timestamp) from a producer that set
 * none. Kafka Streams stops the thread that reads one: a stream thread by default, the global
 * thread always (it takes the record's own timestamp, with no extractor). Such a record is valid
 * otherwise, so it is processed as of the latest valid timestamp read on its partition (the
 * partition time), or of the wall clock before any, and the log gets one line saying where it was.
 * (An extractor could only drop it, not dead-letter it, and a dropped start would lose a mission.)
 */
public final class InvalidTimestamps {
  private static final Logger LOG = LoggerFactory.getLogger(InvalidTimestamps.class);

  private InvalidTimestamps() {}

  /** For the stream threads: the record's timestamp, or else its partition's time. */
  public static final class Extractor implements TimestampExtractor {
    @Override
    public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
      return valid(record, partitionTime, System::currentTimeMillis);
    }
  }

  /**
   * For the global thread's consumer (plans, components, triggers), which no extractor reaches:
   * gives a record with an invalid timestamp its partition's latest valid one before Kafka Streams
   * sees it.
   */
  public static final class GlobalInterceptor implements ConsumerInterceptor<byte[], byte[]> {
    private final Map<TopicPartition, Long> partitionTimes = new HashMap<>();

    @Override
    public ConsumerRecords<byte[], byte[]> onConsume(ConsumerRecords<byte[], byte[]> records) {
      Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> read = new LinkedHashMap<>();
      boolean changed = false;
      for (TopicPartition partition : records.partitions()) {
        List<ConsumerRecord<byte[], byte[]>> list = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : records.records(partition)) {
          long known = partitionTimes.getOrDefault(partition, -1L);
          long timestamp = valid(record, known, System::currentTimeMillis);
          changed |= timestamp != record.timestamp();
          list.add(timestamp == record.timestamp() ? record : withTimestamp(record, timestamp));
          partitionTimes.put(partition, Math.max(known, timestamp));
        }
        read.put(partition, list);
      }
      return changed ? new ConsumerRecords<>(read, records.nextOffsets()) : records;
    }

    @Override
    public void onCommit(Map<TopicPartition, OffsetAndMetadata> offsets) {}

    @Override
    public void close() {}

    @Override
    public void configure(Map<String, ?> configs) {}
  }

  /**
   * The record's timestamp if valid; else the partition time if known, else the clock, with one
   * log line.
   */
  static long valid(ConsumerRecord<?, ?> record, long partitionTime, LongSupplier clock) {
    if (record.timestamp() >= 0) {
      return record.timestamp();
    }
    boolean known = partitionTime >= 0;
    long replacement = known ? partitionTime : clock.getAsLong();
    LOG.warn("Read the record at {}[{}]@{} as of {} ({}): its timestamp {} is invalid (negative; its producer set none?)",
        record.topic(), record.partition(), record.offset(), replacement,
        known ? "the latest timestamp read on its partition" : "the clock, none read on its partition yet",
        record.timestamp());
    return replacement;
  }

  private static <K, V> ConsumerRecord<K, V> withTimestamp(ConsumerRecord<K, V> record, long timestamp) {
    return new ConsumerRecord<>(record.topic(), record.partition(), record.offset(), timestamp,
        record.timestampType(), record.serializedKeySize(), record.serializedValueSize(), record.key(),
        record.value(), record.headers(), record.leaderEpoch(), record.deliveryCount());
  }
}
