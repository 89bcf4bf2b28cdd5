package io.groundcontrol.mission;

import io.groundcontrol.schema.MissionEvent;
import io.groundcontrol.schema.StageInstruction;
import java.util.List;
import java.util.Optional;

/**
 * What one input led to: the events written, in order, the mission after them, and the effects
 * the coordinator must carry out.
 *
 * @param mission the mission after the events; empty when the input named no known mission, or
 *     the events forgot it
 * @param events the events to append to the log, already applied to {@code mission}
 * @param effects what must happen outside the mission, in the order decided
 */
public record Decision(Optional<Mission> mission, List<MissionEvent> events, List<Effect> effects) {
  /** Whether the mission must be stored again: some event other than a sequence-0 rejection. */
  public boolean changedMission() {
    if (mission.isEmpty()) {
      return false;
    }
    for (MissionEvent event : events) {
      if (event.getSequence() > 0) {
        return true;
      }
    }
    return false;
  }

  /** The instructions to workers among the effects, in order. */
  public List<StageInstruction> instructions() {
    return effects.stream()
        .filter(Effect.Instruct.class::isInstance)
        .map(e -> ((Effect.Instruct) e).instruction())
        .toList();
  }

  /** The timers among the effects, in order. */
  public List<TimerFired> timers() {
    return effects.stream()
        .filter(Effect.SetTimer.class::isInstance)
        .map(e -> ((Effect.SetTimer) e).timer())
        .toList();
  }
}
