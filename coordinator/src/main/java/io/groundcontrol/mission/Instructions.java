package io.groundcontrol.mission;

import io.groundcontrol.schema.CauseKind;
import io.groundcontrol.schema.InstructionKind;
import io.groundcontrol.schema.MissionCancelled;
import io.groundcontrol.schema.MissionEvent;
import io.groundcontrol.schema.StageDispatched;
import io.groundcontrol.schema.StageFailed;
import io.groundcontrol.schema.StageInstruction;
import io.groundcontrol.schema.StageSkipped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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
        MissionView mission = decision.mission().orElseThrow();
        Long timeoutMs = plans.version(mission.planName(), mission.planVersion())
            .flatMap(p -> p.timeout(dispatched.getStage())).map(Duration::toMillis).orElse(null);
        out.add(new StageInstruction(
            InstructionKind.RUN,
            event.getMissionId(),
            mission.planName(),
            dispatched.getStage(),
            dispatched.getComponent(),
            dispatched.getAttempt(),
            dispatched.getParams(),
            event.getTimestamp(),
            timeoutMs));
      } else if (event.getEvent() instanceof MissionCancelled) {
        addCancels(out, decision.mission().orElseThrow(), event, plans);
      } else if (event.getCause().getKind() != CauseKind.REPORT) {
        stopAttempt(event)
            .filter(stage -> decision.mission().orElseThrow().stage(stage).orElseThrow().attempt() > 0)
            .ifPresent(stage -> out.add(cancel(decision.mission().orElseThrow(), stage, event, plans)));
      }
    }
    return out;
  }

  /**
   * The stage whose attempt the coordinator or a person ended while a worker may still run it: a
   * timeout, a lost worker, a stage marked failed or skipped. The worker ignores a CANCEL for an
   * attempt it does not run.
   */
  private static Optional<String> stopAttempt(MissionEvent event) {
    if (event.getEvent() instanceof StageFailed failed) {
      return Optional.of(failed.getStage());
    }
    if (event.getEvent() instanceof StageSkipped skipped && event.getCause().getKind() == CauseKind.COMMAND) {
      return Optional.of(skipped.getStage());
    }
    return Optional.empty();
  }

  private static StageInstruction cancel(MissionView mission, String stage, MissionEvent event, PlanLookup plans) {
    MissionPlan plan = plans.version(mission.planName(), mission.planVersion()).orElseThrow();
    int attempt = mission.stage(stage).orElseThrow().attempt();
    return new StageInstruction(InstructionKind.CANCEL, mission.missionId(), mission.planName(), stage,
        plan.component(stage), attempt, Map.of(), event.getTimestamp(), null);
  }

  private static void addCancels(List<StageInstruction> out, MissionView mission, MissionEvent event, PlanLookup plans) {
    MissionPlan plan = plans.version(mission.planName(), mission.planVersion()).orElseThrow();
    for (StageView stage : mission.stagesInPlanOrder(plan)) {
      if (stage.isActive()) {
        out.add(new StageInstruction(
            InstructionKind.CANCEL,
            mission.missionId(),
            mission.planName(),
            stage.name(),
            plan.component(stage.name()),
            stage.attempt(),
            Map.of(),
            event.getTimestamp(),
            null));
      }
    }
  }
}
