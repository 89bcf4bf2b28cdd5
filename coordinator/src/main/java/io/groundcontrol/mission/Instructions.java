package io.groundcontrol.mission;

import io.groundcontrol.schema.InstructionKind;
import io.groundcontrol.schema.MissionCancelled;
import io.groundcontrol.schema.MissionEvent;
import io.groundcontrol.schema.StageDispatched;
import io.groundcontrol.schema.StageInstruction;
import java.util.ArrayList;
import java.util.List;

/** Derives what workers must be told from what was decided. */
public final class Instructions {
  private Instructions() {}

  /**
   * A RUN instruction for every dispatch, and a CANCEL for every attempt still out with a worker
   * when its mission was cancelled.
   */
  public static List<StageInstruction> from(Decision decision, PlanLookup plans) {
    List<StageInstruction> out = new ArrayList<>();
    for (MissionEvent event : decision.events()) {
      if (event.getEvent() instanceof StageDispatched dispatched) {
        out.add(new StageInstruction(
            InstructionKind.RUN,
            event.getMissionId(),
            decision.mission().orElseThrow().planName(),
            dispatched.getStage(),
            dispatched.getComponent(),
            dispatched.getAttempt(),
            dispatched.getParams(),
            event.getTimestamp(),
            null));
      } else if (event.getEvent() instanceof MissionCancelled) {
        addCancels(out, decision.mission().orElseThrow(), event, plans);
      }
    }
    return out;
  }

  private static void addCancels(List<StageInstruction> out, MissionView mission, MissionEvent event, PlanLookup plans) {
    MissionPlan plan = plans.version(mission.planName(), mission.planVersion()).orElseThrow();
    for (StageView stage : mission.stages()) {
      if (stage.isActive()) {
        out.add(new StageInstruction(
            InstructionKind.CANCEL,
            mission.missionId(),
            mission.planName(),
            stage.name(),
            plan.component(stage.name()),
            stage.attempt(),
            java.util.Map.of(),
            event.getTimestamp(),
            null));
      }
    }
  }
}
