package io.groundcontrol.audit;

import io.groundcontrol.schema.MissionEvent;
import java.time.Instant;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;

/**
 * One input of a mission as recovered from its log, with the events it caused there.
 *
 * @param channel where it goes
 * @param record the {@code MissionCommand} or {@code StageReport} to send; null for {@link Channel#TIMER}
 * @param timestamp the record timestamp to send it with: the time of the events it caused, so a
 *     coordinator replaying it stamps its events the same
 * @param expected the events it caused in the original log, in order
 * @param description what it is, for people
 */
public record ReplayInput(
    Channel channel, SpecificRecord record, Instant timestamp, List<MissionEvent> expected, String description) {

  /** Where an input enters the coordinator. */
  public enum Channel {
    /** The mission-commands topic. */
    COMMAND,
    /** The stage-reports topic. */
    REPORT,
    /** Nothing to send: the coordinator's own timer caused these events, and must cause them again. */
    TIMER
  }

  /** Copies the events. */
  public ReplayInput {
    expected = List.copyOf(expected);
  }

  /** Sequence of the first event it caused. */
  public long firstSequence() {
    return expected.get(0).getSequence();
  }

  /** Sequence of the last event it caused. */
  public long lastSequence() {
    return expected.get(expected.size() - 1).getSequence();
  }
}
