package io.groundcontrol.mission;

import io.groundcontrol.schema.MissionFailed;
import io.groundcontrol.schema.MissionFinished;
import io.groundcontrol.schema.MissionStatus;
import io.groundcontrol.schema.StageDispatched;
import io.groundcontrol.schema.StageStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The rules that move a running mission forward, shared by every processor. */
final class Progress {
  private Progress() {}

  /**
   * Dispatches each candidate that is WAITING with every upstream FINISHED or SKIPPED. Only the
   * candidates are looked at, so the cost is their fan-in, not the plan's size.
   */
  static void dispatchReady(ProcessingContext context, MissionPlan plan, Iterable<String> candidates) {
    for (String name : candidates) {
      MissionView mission = context.mission().orElseThrow();
      StageView stage = mission.stage(name).orElseThrow();
      if (stage.status() == StageStatus.WAITING && upstreamReleased(mission, plan, name)) {
        dispatch(context, plan, name, stage.attempt() + 1);
      }
    }
  }

  /** Sends attempt {@code attempt} of a stage to its component. */
  static void dispatch(ProcessingContext context, MissionPlan plan, String stage, int attempt) {
    Map<String, String> params =
        ParamResolver.resolveStageParams(plan.stageParams(stage), context.mission().orElseThrow().params());
    context.append(new StageDispatched(stage, plan.component(stage), attempt, params));
    Instructions.run(context, plan, stage, attempt, params);
    Timers.timeout(context, plan, stage, attempt);
  }

  private static boolean upstreamReleased(MissionView mission, MissionPlan plan, String name) {
    for (String upstream : plan.upstream(name)) {
      if (!mission.stage(upstream).orElseThrow().releasesDownstream()) {
        return false;
      }
    }
    return true;
  }

  /**
   * Ends a running mission when nothing is out with a worker or waiting to retry. Ready stages are
   * always dispatched at once, so no pending stage means nothing more can run: the mission finished if no stage
   * failed or waits behind a failure, and failed otherwise.
   */
  static void concludeIfSettled(ProcessingContext context, MissionPlan plan) {
    MissionView mission = context.mission().orElseThrow();
    if (mission.status() != MissionStatus.RUNNING || mission.pendingStageCount() > 0) {
      return;
    }
    if (mission.countOf(StageStatus.FAILED) == 0 && mission.countOf(StageStatus.WAITING) == 0) {
      context.append(new MissionFinished());
    } else {
      context.append(new MissionFailed(failureReason(mission, plan)));
    }
  }

  /** Names failed and blocked stages in plan order, whatever order a store keeps them in. */
  private static String failureReason(MissionView mission, MissionPlan plan) {
    List<String> failed = new ArrayList<>();
    List<String> blocked = new ArrayList<>();
    for (StageView stage : mission.stagesInPlanOrder(plan)) {
      if (stage.status() == StageStatus.FAILED) {
        failed.add("stage '" + stage.name() + "' failed on attempt " + stage.attempt()
            + stage.error().map(e -> ": " + e.getMessage()).orElse(""));
      } else if (stage.status() == StageStatus.WAITING) {
        blocked.add(stage.name());
      }
    }
    String reason = String.join("; ", failed);
    return blocked.isEmpty() ? reason : reason + " (not run: " + String.join(", ", blocked) + ")";
  }
}
