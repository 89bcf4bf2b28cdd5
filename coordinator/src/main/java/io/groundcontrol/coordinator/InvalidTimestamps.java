package io.groundcontrol.coordinator;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
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
 * otherwise, so it is processed as of the later of its partition's time (the latest timestamp read
 * on it) and the wall clock, and the log says where it was: one line per partition per minute at
 * most ({@link Lines}), since a producer that never sets a timestamp sends nothing else. (An
 * extractor could only drop it, not dead-letter it, and a dropped start would lose a mission.)
 *
 * <p>Such a record carries no time, so nothing deterministic is left to read it by: a fixed time
 * such as 0 would date its decisions in 1970 and put every deadline derived from them (a stage's
 * timeout, a retry's backoff) in the past at once, and the partition time alone would stand still
 * for a producer that never sets one (each record would be read as of the first one's clock). The
 * clock is what its producer would have stamped; the partition time, when later, keeps the
 * partition's time from going back. The cost is that such a record read again (after a crash
 * before its commit, or by the global thread after a restart) gets a later time the second time,
 * and deadlines derived from it move with it.
 */
public final class InvalidTimestamps {
  private static final Logger LOG = LoggerFactory.getLogger(InvalidTimestamps.class);
  private static final Lines LINES = new Lines();

  private InvalidTimestamps() {}

  /** For the stream threads: the record's timestamp, or else the later of its partition's time and the clock. */
  public static final class Extractor implements TimestampExtractor {
    @Override
    public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
      return valid(record, partitionTime, System::currentTimeMillis);
    }
  }

  /**
   * For the global thread's consumer (plans, components, triggers), which no extractor reaches:
   * gives a record with an invalid timestamp the later of its partition's time and the clock
   * before Kafka Streams sees it.
   */
  public static final class GlobalInterceptor implements ConsumerInterceptor<byte[], byte[]> {
    private final Map<TopicPartition, Long> partitionTimes = new HashMap<>();
    private final LongSupplier clock;

    /** Reads the wall clock, as Kafka's consumer makes it. */
    public GlobalInterceptor() {
      this(System::currentTimeMillis);
    }

    GlobalInterceptor(LongSupplier clock) {
      this.clock = clock;
    }

    @Override
    public ConsumerRecords<byte[], byte[]> onConsume(ConsumerRecords<byte[], byte[]> records) {
      Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> read = new LinkedHashMap<>();
      boolean changed = false;
      for (TopicPartition partition : records.partitions()) {
        List<ConsumerRecord<byte[], byte[]>> list = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : records.records(partition)) {
          long known = partitionTimes.getOrDefault(partition, -1L);
          long timestamp = valid(record, known, clock);
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
   * The record's timestamp if valid; else the later of the partition time ({@code -1} if none) and
   * the clock, with a log line if {@link Lines} says one is due.
   */
  static long valid(ConsumerRecord<?, ?> record, long partitionTime, LongSupplier clock) {
    if (record.timestamp() >= 0) {
      return record.timestamp();
    }
    long now = clock.getAsLong();
    long replacement = Math.max(partitionTime, now);
    boolean partitionAhead = partitionTime > now;
    LINES.due(new TopicPartition(record.topic(), record.partition()), now).ifPresent(unsaid -> LOG.warn(
        "Read the record at {}[{}]@{} as of {} ({}): its timestamp {} is invalid (negative; its producer set none?){}",
        record.topic(), record.partition(), record.offset(), replacement,
        partitionAhead ? "the latest timestamp read on its partition, later than the clock" : "the clock",
        record.timestamp(), unsaid == 0 ? "" : "; " + unsaid + " more such records on this partition since its last"
            + " line, one a minute at most"));
    return replacement;
  }

  /** Whether a line is due for each record with an invalid timestamp: one per partition per {@link #EVERY_MS} at most. */
  static final class Lines {
    static final long EVERY_MS = 60_000;
    /** Per partition: when its last line was logged, and the records since. */
    private final Map<TopicPartition, long[]> byPartition = new HashMap<>();

    /**
     * A record of {@code partition} at {@code nowMs}: the number of records left unsaid since the
     * partition's last line if a line is due now, else empty (this one counted).
     */
    synchronized OptionalLong due(TopicPartition partition, long nowMs) {
      long[] last = byPartition.get(partition);
      if (last == null || nowMs - last[0] >= EVERY_MS) {
        long unsaid = last == null ? 0 : last[1];
        byPartition.put(partition, new long[] {nowMs, 0});
        return OptionalLong.of(unsaid);
      }
      last[1]++;
      return OptionalLong.empty();
    }
  }

  private static <K, V> ConsumerRecord<K, V> withTimestamp(ConsumerRecord<K, V> record, long timestamp) {
    return new ConsumerRecord<>(record.topic(), record.partition(), record.offset(), timestamp,
        record.timestampType(), record.serializedKeySize(), record.serializedValueSize(), record.key(),
        record.value(), record.headers(), record.leaderEpoch(), record.deliveryCount());
  }
}
