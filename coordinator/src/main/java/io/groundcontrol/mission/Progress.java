package io.groundcontrol.mission;

import io.groundcontrol.schema.MissionFailed;
import io.groundcontrol.schema.MissionFinished;
import io.groundcontrol.schema.MissionStatus;
import io.groundcontrol.schema.StageDispatched;
import io.groundcontrol.schema.StageError;
import io.groundcontrol.schema.StageFailed;
import io.groundcontrol.schema.StageResultRequested;
import io.groundcontrol.schema.StageStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The rules that move a running mission forward, shared by every processor. */
final class Progress {
  private Progress() {}

  /**
   * Starts each candidate that is WAITING with every upstream FINISHED, REUSED or SKIPPED. Only
   * the candidates are looked at, so the cost is their fan-in, not the plan's size.
   */
  static void dispatchReady(ProcessingContext context, MissionPlan plan, Iterable<String> candidates) {
    if (context.mission().orElseThrow().status() == MissionStatus.WAITING) {
      return; // held back by its plan's max_active_missions: ready stages go when it is admitted
    }
    for (String name : candidates) {
      MissionView mission = context.mission().orElseThrow();
      if (ready(mission, plan, name)) {
        start(context, plan, name, mission.stage(name).orElseThrow().attempt() + 1);
      }
    }
  }

  /** Whether {@link #dispatchReady} would start one of {@code candidates} in a running mission. */
  static boolean anyReady(MissionView mission, MissionPlan plan, Iterable<String> candidates) {
    for (String name : candidates) {
      if (ready(mission, plan, name)) {
        return true;
      }
    }
    return false;
  }

  private static boolean ready(MissionView mission, MissionPlan plan, String name) {
    return mission.stage(name).orElseThrow().status() == StageStatus.WAITING && upstreamReleased(mission, plan, name);
  }

  /**
   * Runs a ready stage (a foreach stage fans out in chunks), or, if its plan allows reusing a result and the mission does not forbid
   * it, first asks the results index for a fresh one: the stage then waits AWAITING_RESULT.
   */
  static void start(ProcessingContext context, MissionPlan plan, String stage, int attempt) {
    if (!StageInstance.isChunk(stage) && plan.foreach(stage).isPresent()) {
      FanOuts.start(context, plan, stage);
      return;
    }
    Optional<Duration> maxAge = plan.reuseMaxAge(stage);
    MissionView mission = context.mission().orElseThrow();
    if (maxAge.isEmpty() || mission.noReuse()) {
      dispatch(context, plan, stage, attempt);
      return;
    }
    ParamResolver.Result params = ParamResolver.resolveStageParams(plan.stageParams(stage), mission, stage);
    if (!params.ok()) {
      failUnresolved(context, plan, mission.stage(stage).orElseThrow(), params.problem());
      return;
    }
    String key = ResultKeys.of(plan.component(stage), params.params());
    // Numbered by this event's sequence, never repeated in the mission's life (unlike a per-stage
    // count, which would restart for the fresh chunks of a stage fanned out again).
    long ask = mission.sequence() + 1;
    context.append(new StageResultRequested(stage, key, maxAge.get().toMillis(), ask));
    Results.lookup(context, stage, key, maxAge.get(), ask);
  }

  /**
   * Sends attempt {@code attempt} of a stage to its component, or, if the component is capped,
   * queues it for a slot (the admission sub-topology sends it when it grants the slot). A param that
   * cannot be resolved (an upstream output that is missing) fails the stage for good instead:
   * running it again would not make the output appear. Callers conclude the mission afterwards.
   */
  static void dispatch(ProcessingContext context, MissionPlan plan, String stage, int attempt) {
    MissionView mission = context.mission().orElseThrow();
    ParamResolver.Result params = ParamResolver.resolveStageParams(plan.stageParams(stage), mission, stage);
    if (!params.ok()) {
      failUnresolved(context, plan, mission.stage(stage).orElseThrow(), params.problem());
      return;
    }
    if (context.components().capped(plan.component(stage))) {
      Slots.queue(context, plan, stage, attempt, params.params());
    } else {
      send(context, plan, stage, attempt);
    }
  }

  /**
   * Sends attempt {@code attempt} of a stage to its component now; its start timeout counts from
   * when this is written, so time spent queued for a slot counts toward none.
   */
  static void send(ProcessingContext context, MissionPlan plan, String stage, int attempt) {
    recordDispatch(context, plan, stage, attempt).ifPresent(params -> {
      Instructions.run(context, plan, stage, attempt, params);
      Timers.startTimeout(context, plan, stage, attempt);
    });
  }

  /**
   * Records the dispatch of a queued attempt that the admission sub-topology sent to its component
   * with the grant; its start timeout counts from when the grant is handled here, or from the grant
   * if that is later.
   */
  static void sentWithGrant(ProcessingContext context, MissionPlan plan, String stage, int attempt) {
    if (recordDispatch(context, plan, stage, attempt).isPresent()) {
      Timers.startTimeout(context, plan, stage, attempt);
    }
  }

  /**
   * Appends the dispatch of attempt {@code attempt}, with its params resolved now (for a queued
   * attempt: the same as when it queued, since its upstream stages are settled and stay so while it
   * waits). Returns the params, or empty if one cannot be resolved: the stage then failed for good.
   */
  static Optional<Map<String, String>> recordDispatch(ProcessingContext context, MissionPlan plan, String stage,
      int attempt) {
    MissionView mission = context.mission().orElseThrow();
    ParamResolver.Result params = ParamResolver.resolveStageParams(plan.stageParams(stage), mission, stage);
    if (!params.ok()) {
      failUnresolved(context, plan, mission.stage(stage).orElseThrow(), params.problem());
      return Optional.empty();
    }
    String key = plan.reuseMaxAge(stage).isPresent() ? ResultKeys.of(plan.component(stage), params.params()) : null;
    context.append(new StageDispatched(stage, plan.component(stage), attempt, params.params(), key));
    return Optional.of(params.params());
  }

  private static void failUnresolved(ProcessingContext context, MissionPlan plan, StageView stage, String problem) {
    Slots.release(context, plan, stage, "params unresolved");
    context.append(new StageFailed(stage.name(), stage.attempt(), new StageError(problem, null, false), null));
    Results.abandoned(context, stage);
  }

  /**
   * Whether every upstream stage of {@code name} lets it run. The mission's counts settle most checks
   * of a wide join without reading a stage: it cannot run while fewer of the mission's stages release
   * their downstream than it has upstream. Past that, the upstream stages are read last first: they
   * were sent in plan order and workers mostly finish in the order sent, so the one still out is
   * usually among the last; read first to last, every completion of a join of n would read again the
   * ones already finished, n squared over 2 reads a mission.
   */
  private static boolean upstreamReleased(MissionView mission, MissionPlan plan, String name) {
    List<String> upstream = plan.upstream(name);
    if (mission.releasingStageCount() < upstream.size()) {
      return false;
    }
    for (int i = upstream.size() - 1; i >= 0; i--) {
      if (!mission.stage(upstream.get(i)).orElseThrow().releasesDownstream()) {
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
      MissionAdmissions.end(context, plan, "finished");
    } else {
      context.append(new MissionFailed(failureReason(mission, plan)));
      MissionAdmissions.end(context, plan, "failed");
    }
  }

  /**
   * Names failed and blocked stages in plan order, whatever order a store keeps them in: at most
   * {@link FanOuts#NAMED_FAILURES} of each, and how many more, so that the reason stays one
   * readable record however many stages failed. Each message is cut as a failure's is: a state
   * stored by a build before that cut may hold longer ones.
   */
  private static String failureReason(MissionView mission, MissionPlan plan) {
    List<String> failed = new ArrayList<>();
    List<String> blocked = new ArrayList<>();
    int failedCount = 0;
    int blockedCount = 0;
    for (StageView stage : mission.stagesInPlanOrder(plan)) {
      if (stage.status() == StageStatus.FAILED) {
        if (failedCount++ < FanOuts.NAMED_FAILURES) {
          failed.add("stage '" + stage.name() + "' failed "
              + (stage.attempt() == 0 ? "before its first attempt" : "on attempt " + stage.attempt())
              + stage.error().map(e -> ": " + TextLimits.cut(e.getMessage(), TextLimits.MAX_MESSAGE_BYTES)).orElse(""));
        }
      } else if (stage.status() == StageStatus.WAITING && blockedCount++ < FanOuts.NAMED_FAILURES) {
        blocked.add(stage.name());
      }
    }
    String reason = String.join("; ", failed) + more(failedCount, "; and ", " more stages failed");
    return blockedCount == 0 ? reason
        : reason + " (not run: " + String.join(", ", blocked) + more(blockedCount, ", and ", " more") + ")";
  }

  private static String more(int count, String before, String after) {
    return count > FanOuts.NAMED_FAILURES ? before + (count - FanOuts.NAMED_FAILURES) + after : "";
  }
}
