package io.groundcontrol.coordinator;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.HashSet;
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
 * The restart rule: a task that starts (a process restart, a task moved by a rebalance, a state
 * wipe) fires no timer until it has read every input that was in its partitions when it started.
 * A heartbeat or a finish report written while no coordinator ran must count before the silence
 * or the timeout it answers.
 *
 * <p>How: at its first punctuation the task writes a barrier, a record with a null value and the
 * {@link #HEADER} header naming this start, to its own partition of each input topic. Everything
 * written to that partition earlier has a lower offset, so once the task has read its own barrier
 * back on every input, it has read all of that. This is exact, where reading end offsets at the
 * start is not quite: transaction markers take offsets too, so "last offset read + 1 = end" may
 * never hold, and the consumer's position is not visible to a processor. A barrier of an earlier
 * start (read late, or written by a start that died before reading it) names another start and is
 * ignored.
 */
final class RestartBarrier {
  /** Header of a barrier record; its value is the id of the start that wrote it. */
  static final String HEADER = "groundcontrol.barrier";

  private final String id = UUID.randomUUID().toString();
  private final int partition;
  private final Set<String> awaited;
  private boolean written;

  /**
   * @param partition the task's partition, the same on every input topic (they are co-partitioned)
   * @param inputs the topics the task reads
   */
  RestartBarrier(int partition, Collection<String> inputs) {
    this.partition = partition;
    this.awaited = new HashSet<>(inputs);
  }

  /** A barrier to write, on the first call only. */
  record Marker(String id, String topic, int partition) {
    Headers headers() {
      return new RecordHeaders().add(HEADER, id.getBytes(StandardCharsets.UTF_8));
    }
  }

  /** The barriers to write: one per input topic on the first call, none after. */
  Collection<Marker> toWrite() {
    if (written) {
      return Set.of();
    }
    written = true;
    return awaited.stream().map(topic -> new Marker(id, topic, partition)).toList();
  }

  /** Whether timers must still wait. */
  boolean holdsTimers() {
    return !awaited.isEmpty();
  }

  /** The start id a record's barrier header names, if the record is a barrier. */
  static Optional<String> barrierId(Object value, Headers headers) {
    if (value != null) {
      return Optional.empty();
    }
    Header header = headers.lastHeader(HEADER);
    return header == null ? Optional.empty() : Optional.of(new String(header.value(), StandardCharsets.UTF_8));
  }

  /**
   * Notes a barrier read on {@code topic}. True if it was this start's last awaited one: the
   * backlog is read and timers may run from now on.
   */
  boolean read(String topic, String barrierId) {
    return id.equals(barrierId) && awaited.remove(topic) && awaited.isEmpty();
  }

  /** Where a barrier goes: its topic. */
  static final TopicNameExtractor<String, Object> TOPIC = (key, value, context) -> ((Marker) value).topic();

  /** Which partition: the task's own, explicitly. */
  static final StreamPartitioner<String, Object> PARTITION =
      (topic, key, value, numPartitions) -> Optional.of(Set.of(((Marker) value).partition()));

  /** A barrier's value is null: readers of the input topics see a tombstone with the header. */
  static final Serializer<Object> VALUE = (topic, value) -> null;
}
