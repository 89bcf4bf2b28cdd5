package io.groundcontrol.mission;

import io.groundcontrol.schema.MissionEvent;
import java.util.List;
import java.util.Optional;

/**
 * What one input led to: the events written, in order, and the mission after them.
 *
 * @param mission the mission after the events; empty when the input named no known mission
 * @param events the events to append to the log, already applied to {@code mission}
 */
public record Decision(Optional<Mission> mission, List<MissionEvent> events) {
  /** Whether the mission must be stored again: some event other than a sequence-0 rejection. */
  public boolean changedMission() {
    return mission.isPresent() && events.stream().anyMatch(e -> e.getSequence() > 0);
  }
}
