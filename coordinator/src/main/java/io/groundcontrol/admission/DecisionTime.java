package io.groundcontrol.admission;

import java.time.Instant;
import org.apache.kafka.streams.processor.api.ProcessingContext;

/**
 * The time an answering sub-topology (admission, mission limits) stamps a decision with: the time of
 * the input or punctuation that made it, but never earlier than an input its task already read.
 *
 * <p>Their inputs come in the order they arrived, not in time order. A release sent by a missions
 * partition that was down carries the time of the worker's report that ended the attempt, which
 * may be well before requests other partitions sent meanwhile. A grant stamped with that old time
 * would appear in the event log before the request it answers, and an audit replaying the log would
 * count the slot as held twice over that span. The task's stream time is the latest input time it
 * read, so a decision is never logged before anything that led to it.
 */
public final class DecisionTime {
  private DecisionTime() {}

  /**
   * @param inputOrTick the time of the record being processed, or of the punctuation
   * @return the later of it and the task's stream time
   */
  public static Instant of(long inputOrTick, ProcessingContext context) {
    return Instant.ofEpochMilli(Math.max(inputOrTick, context.currentStreamTimeMs()));
  }
}
