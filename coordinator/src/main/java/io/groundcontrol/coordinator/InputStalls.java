package io.groundcontrol.coordinator;

import java.time.Duration;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.TaskMetadata;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.processor.TaskId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the input partitions of this instance's active tasks for a {@link InputStall}: records
 * waiting and a committed offset that does not move.
 *
 * <p>Its evidence: Kafka Streams' task metadata, read only while the streams are RUNNING (while they
 * rebalance it may still describe tasks since moved away): {@link TaskMetadata#committedOffsets()},
 * the offset to read next as of the task's last commit (-1 before its first), and {@link
 * TaskMetadata#endOffsets()}, the offset of the last record fetched (-1 before any); records wait
 * when that is at or past the committed offset. And the failures: a write Kafka Streams retries or
 * fails ({@link ProductionErrors}) and a failure of Kafka or a store met processing a record ({@link
 * DeadLetters.Processing}) name the input the record came from, which has not been committed past;
 * these are seen even when a thread replaced at every try is never RUNNING when a probe asks.
 *
 * <p>A partition has not moved for the time from the first to the latest evidence of it at one
 * committed offset. A commit past that offset, a fetch all committed, or the partition missing from
 * the RUNNING streams for {@link #GONE_AFTER_MS} (moved to another instance) ends the watch; a task
 * new since (-1) tells nothing until it commits. The wall clock is fine here (health is not topology
 * logic); probes ask often, so an answer serves for {@link #ANSWER_MS}.
 */
final class InputStalls {
  /** The key of the streams config that carries an instance's watch to its error handlers. */
  static final String CONFIG = "groundcontrol.internal.input.stalls";
  /** How long one answer serves. */
  static final long ANSWER_MS = 1_000;
  /** How long a partition may be missing from the RUNNING streams' tasks before its watch ends. */
  static final long GONE_AFTER_MS = 60_000;

  private static final Logger LOG = LoggerFactory.getLogger(InputStalls.class);
  private static final long NOT_YET = Long.MIN_VALUE;
  private static final int CAUSE_CHARS = 300;
  private static final InputStalls UNWATCHED = new InputStalls(() -> 0L);

  private final LongSupplier clockMs;
  private final Map<TopicPartition, Watch> watches = new HashMap<>();
  private String lastCause;
  private long lastCauseAt = NOT_YET;
  private long answeredAt = NOT_YET;
  private Optional<InputStall> answer = Optional.empty();

  /** @param clockMs the wall clock, in milliseconds */
  InputStalls(LongSupplier clockMs) {
    this.clockMs = clockMs;
  }

  /** The watch {@code configs} (a handler's streams config) carry, or one that nothing reads. */
  static InputStalls of(Map<String, ?> configs) {
    return configs.get(CONFIG) instanceof InputStalls stalls ? stalls : UNWATCHED;
  }

  /** The active tasks of {@code streams}, or empty while they are not RUNNING (their metadata may be stale then). */
  static Optional<Collection<TaskMetadata>> activeTasks(KafkaStreams streams) {
    if (streams.state() != KafkaStreams.State.RUNNING) {
      return Optional.empty();
    }
    return Optional.of(streams.metadataForLocalThreads().stream().flatMap(thread -> thread.activeTasks().stream())
        .toList());
  }

  /**
   * The record at {@code context}'s input (none for a scheduled step) made Kafka Streams fail or
   * retry its task with {@code cause}: that input has not been committed past it.
   */
  void failed(ErrorHandlerContext context, Throwable cause) {
    TopicPartition input = context == null || context.topic() == null ? null
        : new TopicPartition(context.topic(), context.partition());
    failed(context == null ? null : context.taskId(), input, context == null ? -1 : context.offset(), cause);
  }

  /** A stream thread failed with {@code cause}; the task is the one Kafka Streams names, if any. */
  void threadFailed(Throwable cause) {
    TaskId task = null;
    for (Throwable t = cause; t != null && task == null; t = t.getCause() == t ? null : t.getCause()) {
      task = t instanceof StreamsException streams ? streams.taskId().orElse(null) : null;
    }
    failed(task, null, -1, cause);
  }

  private synchronized void failed(TaskId task, TopicPartition input, long offset, Throwable cause) {
    if (this == UNWATCHED) {
      return;
    }
    long now = clockMs.getAsLong();
    lastCause = oneLine(cause);
    lastCauseAt = now;
    if (input != null && offset >= 0) {
      watches.computeIfAbsent(input, partition -> new Watch(offset, now)).evidence(offset, now, -1, task);
    }
    watches.forEach((partition, watch) -> {
      if (partition.equals(input) || (task != null && task.equals(watch.task))) {
        watch.cause = lastCause;
      }
    });
  }

  /**
   * Whether input partitions stalled, given the active tasks of the streams now ({@link #activeTasks}):
   * read at most once per {@link #ANSWER_MS}; a failure to read them counts as no evidence.
   */
  Optional<InputStall> stall(Supplier<Optional<Collection<TaskMetadata>>> activeTasks) {
    long now = clockMs.getAsLong();
    synchronized (this) {
      if (answeredAt != NOT_YET && now - answeredAt < ANSWER_MS) {
        return answer;
      }
    }
    Optional<Map<TopicPartition, Offsets>> seen = read(activeTasks);
    synchronized (this) {
      seen.ifPresent(offsets -> observe(offsets, now));
      Optional<InputStall> next = judge();
      report(answer, next);
      answer = next;
      answeredAt = now;
      return next;
    }
  }

  private void observe(Map<TopicPartition, Offsets> seen, long now) {
    seen.forEach((partition, offsets) -> {
      Watch watch = watches.get(partition);
      if (watch != null && (offsets.committed() > watch.at || offsets.caughtUp())) {
        watches.remove(partition);
        watch = null;
      }
      if (offsets.waiting()) {
        watches.computeIfAbsent(partition, p -> new Watch(offsets.committed(), now))
            .evidence(offsets.committed(), now, offsets.end() - offsets.committed() + 1, offsets.task());
      } else if (watch != null) {
        watch.goneSince = NOT_YET;
      }
    });
    watches.entrySet().removeIf(entry -> !seen.containsKey(entry.getKey()) && entry.getValue().gone(now));
  }

  private Optional<InputStall> judge() {
    List<Map.Entry<TopicPartition, Watch>> stalled = watches.entrySet().stream()
        .filter(entry -> entry.getValue().stalledMs() >= InputStall.NOT_READY_AFTER.toMillis())
        .sorted(Comparator.comparingLong((Map.Entry<TopicPartition, Watch> entry) -> -entry.getValue().stalledMs())
            .thenComparing(entry -> entry.getKey().toString()))
        .toList();
    if (stalled.isEmpty()) {
      return Optional.empty();
    }
    long began = stalled.stream().mapToLong(entry -> entry.getValue().since).min().orElseThrow();
    Optional<String> cause = stalled.stream().map(entry -> entry.getValue().cause).filter(c -> c != null).findFirst()
        .or(() -> lastCauseAt >= began ? Optional.of(lastCause) : Optional.empty());
    return Optional.of(new InputStall(stalled.stream().map(entry -> entry.getValue().describe(entry.getKey())).toList(),
        Duration.ofMillis(stalled.get(0).getValue().stalledMs()), cause));
  }

  private static void report(Optional<InputStall> before, Optional<InputStall> now) {
    if (now.isPresent() && now.get().restartDue() && !before.map(InputStall::restartDue).orElse(false)) {
      LOG.error("Not live: {}; /health/live answers 503 too, for a restart of the process", now.get().reason());
    } else if (now.isPresent() && before.isEmpty()) {
      LOG.error("Not ready: {}; /health/ready answers 503 until they move", now.get().reason());
    } else if (now.isEmpty() && before.isPresent()) {
      LOG.info("Ready again: the stalled input partitions moved, or this instance no longer reads them");
    }
  }

  private static Optional<Map<TopicPartition, Offsets>> read(Supplier<Optional<Collection<TaskMetadata>>> activeTasks) {
    try {
      return activeTasks.get().map(tasks -> {
        Map<TopicPartition, Offsets> offsets = new HashMap<>();
        for (TaskMetadata task : tasks) {
          // Live views of maps the stream thread updates: copied at once.
          Map<TopicPartition, Long> committed = new HashMap<>(task.committedOffsets());
          Map<TopicPartition, Long> end = new HashMap<>(task.endOffsets());
          for (TopicPartition partition : Set.copyOf(task.topicPartitions())) {
            offsets.put(partition, new Offsets(task.taskId(), committed.getOrDefault(partition, -1L),
                end.getOrDefault(partition, -1L)));
          }
        }
        return offsets;
      });
    } catch (RuntimeException e) {
      LOG.debug("Could not read the tasks' offsets: {}", e.toString());
      return Optional.empty();
    }
  }

  /** The failure and its root cause, each as its type and the first line of its message. */
  static String oneLine(Throwable failure) {
    Throwable root = failure;
    Set<Throwable> seen = new HashSet<>();
    while (root.getCause() != null && seen.add(root)) {
      root = root.getCause();
    }
    String line = describe(failure) + (root == failure ? "" : ", caused by " + describe(root));
    return line.length() <= CAUSE_CHARS ? line : line.substring(0, CAUSE_CHARS) + "...";
  }

  private static String describe(Throwable error) {
    String message = error.getMessage() == null ? "" : error.getMessage().strip();
    int newline = message.indexOf('\n');
    String first = newline < 0 ? message : message.substring(0, newline);
    return error.getClass().getSimpleName() + (first.isEmpty() ? "" : ": " + first);
  }

  /** One partition's offsets in its task's metadata. */
  private record Offsets(TaskId task, long committed, long end) {
    /** Records fetched at or past the committed offset, which a commit of the task would have passed. */
    boolean waiting() {
      return committed >= 0 && end >= committed;
    }

    boolean caughtUp() {
      return committed >= 0 && end >= 0 && end < committed;
    }
  }

  /** A partition seen not to move past {@link #at}. */
  private static final class Watch {
    long at;
    final long since;
    long lastSeen;
    long waiting = -1;
    TaskId task;
    String cause;
    long goneSince = NOT_YET;

    Watch(long at, long since) {
      this.at = at;
      this.since = since;
      this.lastSeen = since;
    }

    void evidence(long offset, long now, long records, TaskId task) {
      at = Math.min(at, offset);
      lastSeen = now;
      waiting = records >= 0 ? records : waiting;
      this.task = task == null ? this.task : task;
      goneSince = NOT_YET;
    }

    long stalledMs() {
      return lastSeen - since;
    }

    boolean gone(long now) {
      goneSince = goneSince == NOT_YET ? now : goneSince;
      return now - goneSince >= GONE_AFTER_MS;
    }

    String describe(TopicPartition partition) {
      return partition + " (" + (waiting >= 0 ? "at least " + waiting + " records" : "records") + " waiting at offset " + at
          + ", not moved for " + Duration.ofMillis(stalledMs()).toSeconds() + " s)";
    }
  }
}
