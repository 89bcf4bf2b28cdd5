package io.groundcontrol.mission;

import io.groundcontrol.schema.ForeachPolicy;
import io.groundcontrol.schema.MissionStatus;
import io.groundcontrol.schema.StageError;
import io.groundcontrol.schema.StageFailed;
import io.groundcontrol.schema.StageFannedOut;
import io.groundcontrol.schema.StageFinished;
import io.groundcontrol.schema.StageStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The rules of a stage with {@code foreach}: when it is ready it splits its items into chunks;
 * chunks are dispatched as places free up, at most {@code max_parallel} out at once; the stage
 * finishes when every chunk is done, or fails when more chunks failed for good than it tolerates.
 * Every rule reads the stage's counters ({@link FanOut}), so a transition costs the chunks it
 * touches, not the number of chunks.
 */
final class FanOuts {
  /** Failed chunks named in a fan-out's failure reason, at most; and failed or blocked stages in a mission's. */
  static final int NAMED_FAILURES = 10;

  private FanOuts() {}

  /** Splits a ready foreach stage into chunks and dispatches the first ones. */
  static void start(ProcessingContext context, MissionPlan plan, String stage) {
    ForeachPolicy policy = plan.foreach(stage).orElseThrow();
    MissionView mission = context.mission().orElseThrow();
    FanOutItems.Items items = FanOutItems.read(mission, stage, policy.getSource());
    if (!items.ok()) {
      context.append(new StageFailed(stage, 0, new StageError(items.problem(), null, false), null));
      return;
    }
    int chunkCount = FanOutItems.chunkCount(items.size(), policy.getChunkSize());
    context.append(new StageFannedOut(stage, policy.getSource(), items.size(), policy.getChunkSize(), chunkCount));
    advance(context, plan, stage);
  }

  /**
   * After an input on chunk {@code instance}: fills the places it freed with new chunks and ends
   * its stage once every chunk is settled, then ends the mission if nothing else can run. Does
   * nothing for a plan stage, or when the fan-out has nothing to do.
   */
  static void afterChunkInput(ProcessingContext context, String instance) {
    if (instance == null || !StageInstance.isChunk(instance)) {
      return;
    }
    Optional<MissionView> mission = context.mission();
    if (mission.isEmpty() || mission.get().status() != MissionStatus.RUNNING) {
      return;
    }
    String stage = StageInstance.planStage(instance);
    MissionPlan plan = context.missionPlan();
    if (!plan.hasStage(stage) || plan.foreach(stage).isEmpty()) {
      return;
    }
    advance(context, plan, stage);
    Progress.concludeIfSettled(context, plan);
  }

  /**
   * The fan-out stages of a mission that run while it waits for admission: reopened by a retry of
   * one of their chunks since the mission ended. Read before an admission dispatches anything.
   */
  static List<String> reopened(MissionView mission, MissionPlan plan) {
    List<String> running = new ArrayList<>();
    for (String stage : plan.stageNames()) {
      if (plan.foreach(stage).isPresent() && mission.stage(stage).orElseThrow().status() == StageStatus.RUNNING) {
        running.add(stage);
      }
    }
    return running;
  }

  /**
   * After a mission held back by its plan's {@code max_active_missions} is admitted again: lets each
   * of the {@link #reopened} fan-outs fill its places or end. A chunk retried meanwhile put the
   * cursor back on itself, so it is started in turn, within {@code max_parallel}.
   */
  static void resumeAfterAdmission(ProcessingContext context, MissionPlan plan, List<String> reopened) {
    for (String stage : reopened) {
      StageView parent = context.mission().orElseThrow().stage(stage).orElseThrow();
      if (parent.status() != StageStatus.RUNNING || parent.fanOut().isEmpty()) {
        continue;
      }
      Progress.dispatchReady(context, plan, retriedBehindCursor(context.mission().orElseThrow(), stage,
          parent.fanOut().get()));
      advance(context, plan, stage);
    }
  }

  /**
   * The chunks a retry left WAITING below the cursor of a fan-out stored by an earlier version,
   * which did not move the cursor back: read once, and only when the counters say there are some.
   */
  private static List<String> retriedBehindCursor(MissionView mission, String stage, FanOut counters) {
    List<String> retried = new ArrayList<>();
    if (!counters.waitingBehindCursor()) {
      return retried;
    }
    for (int index = 0; index < counters.next(); index++) {
      String chunk = StageInstance.chunk(stage, index);
      if (mission.stage(chunk).map(StageView::status).orElse(null) == StageStatus.WAITING) {
        retried.add(chunk);
      }
    }
    return retried;
  }

  /** Dispatches chunks into free places, then ends the stage if its chunks are settled. */
  static void advance(ProcessingContext context, MissionPlan plan, String stage) {
    ForeachPolicy policy = plan.foreach(stage).orElseThrow();
    StageView parent = context.mission().orElseThrow().stage(stage).orElseThrow();
    if (parent.status() != StageStatus.RUNNING || parent.fanOut().isEmpty()) {
      return;
    }
    FanOut counters = parent.fanOut().get();
    int tolerated = tolerated(policy, counters.chunkCount());
    // `index` only grows, so this ends within chunkCount passes whatever the state holds, and it
    // starts a chunk only while WAITING: one a fan-out stored by an earlier version has out or
    // settled past its cursor stays as it is.
    for (int index = counters.next();
        index < counters.chunkCount() && counters.failed() <= tolerated && counters.active() < policy.getMaxParallel();
        index = Math.max(index + 1, counters.next())) {
      startIfWaiting(context, plan, StageInstance.chunk(stage, index));
    }
    if (counters.active() == 0 && counters.notStarted() > 0 && counters.failed() <= tolerated) {
      startWaitingBehindCursor(context, plan, stage, counters, policy.getMaxParallel());
    }
    if (counters.active() > 0) {
      return;
    }
    if (counters.failed() > tolerated) {
      String reason = failureReason(context.mission().orElseThrow(), stage, counters, tolerated);
      context.append(new StageFailed(stage, parent.attempt(), new StageError(reason, null, false), null));
    } else if (counters.notStarted() == 0) {
      context.append(new StageFinished(stage, parent.attempt(), Map.of(), null));
      Progress.dispatchReady(context, plan, plan.downstream(stage));
    }
  }

  /**
   * Nothing out and chunks still WAITING, none of them at or past the cursor: a fan-out stored by an
   * earlier version left a retried chunk below it, beside one settled past it, so that the
   * counters could not tell. Without this the stage would wait for ever; with a state written by
   * this version it is never reached, as the cursor stands on a WAITING chunk.
   */
  private static void startWaitingBehindCursor(
      ProcessingContext context, MissionPlan plan, String stage, FanOut counters, int maxParallel) {
    for (int index = 0; index < counters.chunkCount() && counters.active() < maxParallel; index++) {
      startIfWaiting(context, plan, StageInstance.chunk(stage, index));
    }
  }

  /** Starts {@code chunk} if it is WAITING; a chunk out or settled stays as it is. */
  private static void startIfWaiting(ProcessingContext context, MissionPlan plan, String chunk) {
    StageView waiting = context.mission().orElseThrow().stage(chunk).filter(c -> c.status() == StageStatus.WAITING)
        .orElse(null);
    if (waiting != null) {
      Progress.start(context, plan, chunk, waiting.attempt() + 1);
    }
  }

  /**
   * How many attempts of {@code instance} its retry policy has counted: its attempt number, less
   * the attempt it was last reset at ({@link StageView#retryBase()}) or, for a chunk, its fan-out's
   * base ({@link FanOut#attemptBase()}) if higher.
   */
  static int attemptsMade(MissionView mission, String instance, int attempt) {
    int base = mission.stage(instance).map(StageView::retryBase).orElse(0);
    if (StageInstance.isChunk(instance)) {
      base = Math.max(base, mission.stage(StageInstance.planStage(instance)).flatMap(StageView::fanOut)
          .map(FanOut::attemptBase).orElse(0));
    }
    return attempt - base;
  }

  /** How many chunks may fail for good before the stage fails. */
  static int tolerated(ForeachPolicy policy, int chunkCount) {
    if (policy.getTolerateFailedCount() != null) {
      return policy.getTolerateFailedCount();
    }
    if (policy.getTolerateFailedPercent() != null) {
      return (int) Math.floor(chunkCount * policy.getTolerateFailedPercent() / 100.0);
    }
    return 0;
  }

  /** Names the first failed chunks and the first error: read once, when the stage fails. */
  private static String failureReason(MissionView mission, String stage, FanOut counters, int tolerated) {
    List<String> named = new ArrayList<>();
    String firstError = null;
    for (int index = 0; index < counters.chunkCount() && named.size() < Math.min(NAMED_FAILURES, counters.failed());
        index++) {
      StageView chunk = mission.stage(StageInstance.chunk(stage, index)).orElse(null);
      if (chunk != null && chunk.status() == StageStatus.FAILED) {
        named.add(Integer.toString(index));
        if (firstError == null) {
          firstError = chunk.error().map(e -> e.getMessage()).orElse(null);
        }
      }
    }
    return counters.failed() + " of " + counters.chunkCount() + " chunks failed (tolerated: " + tolerated
        + "): chunks " + String.join(", ", named) + (counters.failed() > named.size() ? ", ..." : "")
        + (firstError == null ? "" : "; first error: " + firstError)
        + (counters.notStarted() > 0 ? "; " + counters.notStarted() + " chunks not started" : "");
  }
}
