package io.groundcontrol.coordinator;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.processor.StreamPartitioner;
import org.apache.kafka.streams.processor.TopicNameExtractor;

/**
 * The rule that keeps timers from overtaking input: a timer due at T fires only once the task has
 * read every input written to its partitions before some moment at or after T. A heartbeat or a
 * finish report written in time, but not read yet (the coordinator was down, restarting, or just
 * behind), counts before the silence or the timeout it answers.
 *
 * <p>How: the task writes a barrier, a record with a null value and the {@link #HEADER} header
 * naming it, to its own partition of each input topic, stamped with the time it was written.
 * Everything written to those partitions earlier has a lower offset, so once the task has read
 * that barrier back on every input, it has read all of it: timers due up to the barrier's time may
 * fire. A task writes one at its first punctuation (a process restart, a task moved by a
 * rebalance, a state wipe: each starts the task anew and nothing fires before that barrier is
 * back), then a new one whenever a timer is due beyond the last barrier read, one at a time. This
 * is exact, where reading end offsets is not quite: transaction markers take offsets too, so "last
 * offset read + 1 = end" may never hold, and the consumer's position is not visible to a
 * processor. A barrier of another start (read late, or written by a start that died before
 * reading it) names another id and is ignored.
 */
final class RestartBarrier {
  /** Header of a barrier record; its value is the id of the barrier. */
  static final String HEADER = "groundcontrol.barrier";

  private final String start = UUID.randomUUID().toString();
  private final int partition;
  private final List<String> inputs;
  private final Set<String> awaited = new HashSet<>();
  private String outstandingId;
  private Instant outstandingAt;
  private Instant readUpTo;
  private long written;

  /**
   * @param partition the task's partition, the same on every input topic (they are co-partitioned)
   * @param inputs the topics the task reads
   */
  RestartBarrier(int partition, Collection<String> inputs) {
    this.partition = partition;
    this.inputs = List.copyOf(inputs);
  }

  /** A barrier to write. */
  record Marker(String id, String topic, int partition) {
    Headers headers() {
      return new RecordHeaders().add(HEADER, id.getBytes(StandardCharsets.UTF_8));
    }
  }

  /**
   * The barriers to write at {@code now}, one per input topic: at the first call, and later when a
   * timer is due beyond what has been read and no barrier is on its way. Empty otherwise.
   */
  Collection<Marker> toWrite(Instant now, boolean timerDueBeyondRead) {
    boolean first = written == 0;
    if (outstandingId != null || !(first || timerDueBeyondRead)) {
      return List.of();
    }
    outstandingId = start + "/" + (++written);
    outstandingAt = now;
    awaited.addAll(inputs);
    return inputs.stream().map(topic -> new Marker(outstandingId, topic, partition)).toList();
  }

  /** Up to when every input written has been read: empty until the first barrier came back. */
  Optional<Instant> readUpTo() {
    return Optional.ofNullable(readUpTo);
  }

  /** The id a record's barrier header names, if the record is a barrier. */
  static Optional<String> barrierId(Object value, Headers headers) {
    if (value != null) {
      return Optional.empty();
    }
    Header header = headers.lastHeader(HEADER);
    return header == null ? Optional.empty() : Optional.of(new String(header.value(), StandardCharsets.UTF_8));
  }

  /**
   * Notes a barrier read on {@code topic}. True if it completed the outstanding barrier: every
   * input written before it has been read, and {@link #readUpTo()} moved on.
   */
  boolean read(String topic, String barrierId) {
    if (!barrierId.equals(outstandingId) || !awaited.remove(topic) || !awaited.isEmpty()) {
      return false;
    }
    readUpTo = outstandingAt;
    outstandingId = null;
    return true;
  }

  /** Where a barrier goes: its topic. */
  static final TopicNameExtractor<String, Object> TOPIC = (key, value, context) -> ((Marker) value).topic();

  /** Which partition: the task's own, explicitly. */
  static final StreamPartitioner<String, Object> PARTITION =
      (topic, key, value, numPartitions) -> Optional.of(Set.of(((Marker) value).partition()));

  /** A barrier's value is null: readers of the input topics see a tombstone with the header. */
  static final Serializer<Object> VALUE = (topic, value) -> null;
}
