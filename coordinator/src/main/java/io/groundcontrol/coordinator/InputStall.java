package io.groundcontrol.coordinator;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Input partitions of this instance with records waiting whose committed offset has not moved for
 * {@link #NOT_READY_AFTER} or more, while its streams look RUNNING ({@link InputStalls} watches
 * them). A write Kafka Streams retries for ever (a partition kept below {@code min.insync.replicas},
 * a leader that stays away), where the task is revived in the same thread and no thread is replaced,
 * looks like this; so does a write to an instruction topic deleted while the coordinator runs that
 * the cluster refuses to create again ({@link InstructionTopicWatch}), which holds the thread until it
 * exists, and a record whose output fails every try, where the thread is replaced each time.
 *
 * @param inputs each stalled partition in one phrase (its name, the records waiting, how long it has
 *     not moved), the longest stalled first
 * @param longest how long the longest stalled of them has not moved
 * @param lastCause the last failure recorded for them since they stalled, in one line; empty if none
 */
public record InputStall(List<String> inputs, Duration longest, Optional<String> lastCause) {
  /**
   * How long a partition may stay without moving before the instance is not ready: longer than
   * {@code max.block.ms} (60 s), so that one wait for a topic's metadata does not count.
   */
  public static final Duration NOT_READY_AFTER = Duration.ofMinutes(2);

  /**
   * How long before the instance is not live either, and a probe restarts it: a restart runs the
   * start's checks and repairs (topics created again, the latest plans' instruction topics included;
   * their layout and the cluster's access checked), which a revived task or a replaced thread skips.
   * Long enough that a passing fault of the cluster does not restart every instance at once.
   */
  public static final Duration NOT_LIVE_AFTER = Duration.ofMinutes(10);

  /** The one line {@code /health/ready} (and {@code /health/live}, past {@link #NOT_LIVE_AFTER}) answers with. */
  public String reason() {
    return "input partitions with records waiting have not moved: " + String.join(", ", inputs)
        + "; the last failure: " + lastCause.orElse("none recorded");
  }

  /** Whether the stall is long enough for a restart of the process to be due. */
  public boolean restartDue() {
    return longest.compareTo(NOT_LIVE_AFTER) >= 0;
  }
}
