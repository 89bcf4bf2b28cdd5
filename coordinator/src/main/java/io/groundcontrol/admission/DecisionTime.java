package io.groundcontrol.admission;

import java.time.Instant;
import org.apache.kafka.streams.processor.api.ProcessingContext;

/**
 * The time an answering sub-topology (admission, mission limits) stamps a decision on an input with:
 * the input's own time, but never earlier than an input its task already read.
 *
 * <p>Their inputs come in the order they arrived, not in time order. A release sent by a missions
 * partition that was down carries the time of the worker's report that ended the attempt, which
 * may be well before requests other partitions sent meanwhile. A grant stamped with that old time
 * would appear in the event log before the request it answers, and an audit replaying the log would
 * count the slot as held twice over that span. The task's stream time is the latest input time it
 * read, so a decision is not logged before what led to it.
 *
 * <p>The stream time counts only up to the present, as the coordinator's clock has it: an input
 * stamped ahead (its sender's clock runs fast) still stamps its own decision, but does not move
 * every later decision into the future with it.
 */
public final class DecisionTime {
  private DecisionTime() {}

  /**
   * @param input the time of the record being processed
   * @return the latest of it and the task's stream time, the latter no later than the system time
   */
  public static Instant of(long input, ProcessingContext context) {
    return Instant.ofEpochMilli(of(input, context.currentStreamTimeMs(), context.currentSystemTimeMs()));
  }

  static long of(long input, long streamTime, long systemTime) {
    return Math.max(input, Math.min(streamTime, systemTime));
  }
}
