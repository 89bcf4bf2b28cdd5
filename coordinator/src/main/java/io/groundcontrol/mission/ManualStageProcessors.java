package io.groundcontrol.mission;

import static io.groundcontrol.schema.StageStatus.AWAITING_RESULT;
import static io.groundcontrol.schema.StageStatus.AWAITING_RETRY;
import static io.groundcontrol.schema.StageStatus.DISPATCHED;
import static io.groundcontrol.schema.StageStatus.FAILED;
import static io.groundcontrol.schema.StageStatus.FINISHED;
import static io.groundcontrol.schema.StageStatus.REUSED;
import static io.groundcontrol.schema.StageStatus.QUEUED;
import static io.groundcontrol.schema.StageStatus.RUNNING;
import static io.groundcontrol.schema.StageStatus.SKIPPED;
import static io.groundcontrol.schema.StageStatus.WAITING;

import io.groundcontrol.schema.FailStage;
import io.groundcontrol.schema.MissionCommand;
import io.groundcontrol.schema.MissionResumed;
import io.groundcontrol.schema.MissionStatus;
import io.groundcontrol.schema.RejectionReason;
import io.groundcontrol.schema.RetryStage;
import io.groundcontrol.schema.SkipStage;
import io.groundcontrol.schema.StageError;
import io.groundcontrol.schema.StageReopened;
import io.groundcontrol.schema.StageReset;
import io.groundcontrol.schema.StageSkipped;
import io.groundcontrol.schema.StageStatus;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** Operations people apply to one stage of a mission: retry, skip, mark failed. */
final class ManualStageProcessors {
  private ManualStageProcessors() {}

  /**
   * The stage named by a manual command, if its mission is in one of {@code missionStates} and the
   * stage in one of {@code stageStates}; otherwise a rejection in the fixed shape.
   */
  private static Optional<StageView> target(
      ProcessingContext context, MissionCommand command, String stageName, String verb,
      List<MissionStatus> missionStates, StageStatus... stageStates) {
    String input = verb + " stage '" + stageName + "' by " + command.getIssuedBy().getId();
    Optional<MissionView> mission = Rejections.existingMission(context, input);
    if (mission.isEmpty()) {
      return Optional.empty();
    }
    if (!missionStates.contains(mission.get().status())) {
      context.reject(RejectionReason.WRONG_MISSION_STATE, input, "Expected mission '" + context.missionId() + "' to be "
          + missionStates.stream().map(Enum::name).collect(Collectors.joining(" or ")) + " to " + verb
          + " stage '" + stageName + "', but it is " + mission.get().status());
      return Optional.empty();
    }
    Optional<StageView> stage = mission.get().stage(stageName);
    if (stage.isEmpty()) {
      context.reject(RejectionReason.UNKNOWN_STAGE, input, "Expected mission '" + context.missionId() + "' of plan '" + mission.get().planName()
          + "' to have stage '" + stageName + "', but it has none");
      return Optional.empty();
    }
    if (StageInstance.isChunk(stageName) && !chunkMayChange(mission.get(), stageName)) {
      String planStage = StageInstance.planStage(stageName);
      context.reject(RejectionReason.WRONG_STAGE_STATE, input, "Expected stage '" + planStage + "' to be RUNNING or FAILED to "
          + verb + " its chunk '" + stageName + "', but it is " + mission.get().stage(planStage).orElseThrow().status());
      return Optional.empty();
    }
    if (stage.get().status() == RUNNING && stage.get().fanOut().isPresent()) {
      context.reject(RejectionReason.WRONG_STAGE_STATE, input, "Expected stage '" + stageName + "' to be "
          + Arrays.stream(stageStates).map(Enum::name).collect(Collectors.joining(" or ")) + " to " + verb
          + " it, but it runs in chunks (" + stage.get().fanOut().get().summary() + "): " + verb
          + " a chunk, such as '" + StageInstance.chunk(stageName, 0) + "', or cancel the mission");
      return Optional.empty();
    }
    if (Arrays.stream(stageStates).noneMatch(s -> s == stage.get().status())) {
      context.reject(RejectionReason.WRONG_STAGE_STATE, input, "Expected stage '" + stageName + "' to be "
          + Arrays.stream(stageStates).map(Enum::name).collect(Collectors.joining(" or ")) + " to " + verb
          + " it, but it is " + stage.get().status());
      return Optional.empty();
    }
    return stage;
  }

  /**
   * Whether a chunk's fan-out is still open to it: its stage runs, or failed and may be reopened.
   * Once the stage has finished (tolerating the chunk's failure) or been skipped, its downstream
   * has what it reads, and a chunk run again would have no fan-out to count in.
   */
  private static boolean chunkMayChange(MissionView mission, String chunk) {
    StageStatus planStage = mission.stage(StageInstance.planStage(chunk)).map(StageView::status).orElse(null);
    return planStage == RUNNING || planStage == FAILED;
  }

  private static String by(MissionCommand command, String verb, String reason) {
    return verb + " by " + command.getIssuedBy().getId()
        + (reason == null ? "" : ": " + TextLimits.cut(reason, TextLimits.MAX_MESSAGE_BYTES));
  }

  private static void resumeIfEnded(ProcessingContext context, String why) {
    if (resume(context, why)) {
      MissionAdmissions.ask(context, context.missionPlan());
    }
  }

  /** Makes an ended mission RUNNING again; returns whether it was ended. */
  private static boolean resume(ProcessingContext context, String why) {
    if (context.mission().orElseThrow().status() == MissionStatus.RUNNING) {
      return false;
    }
    context.append(new MissionResumed(why));
    return true;
  }

  /** Runs a FAILED stage again at once, as a new attempt; with downstream, reruns what followed it too. */
  static final class Retry implements InputProcessor<MissionCommand, RetryStage> {
    @Override
    public void process(MissionCommand command, RetryStage retry, ProcessingContext context) {
      String stage = retry.getStage();
      if (target(context, command, stage, "retry", List.of(MissionStatus.RUNNING, MissionStatus.FAILED), FAILED)
          .isEmpty()) {
        return;
      }
      MissionPlan plan = context.missionPlan();
      String why = by(command, "retried", null);
      resumeIfEnded(context, "stage '" + stage + "' " + why);
      context.append(new StageReset(stage, why, true));
      if (retry.getWithDownstream()) {
        resetDownstream(context, plan, stage, why);
      }
      if (!StageInstance.isChunk(stage)) {
        // A chunk waits for a place among its stage's max_parallel: its fan-out starts it in turn.
        Progress.dispatchReady(context, plan, List.of(stage));
      }
      Progress.concludeIfSettled(context, plan);
    }

    /** Makes every ended stage downstream of {@code from} WAITING again. */
    static void resetDownstream(ProcessingContext context, MissionPlan plan, String from, String why) {
      Deque<String> todo = new ArrayDeque<>(plan.downstream(from));
      Set<String> seen = new HashSet<>();
      while (!todo.isEmpty()) {
        String name = todo.pop();
        if (!seen.add(name)) {
          continue;
        }
        StageStatus status = context.mission().orElseThrow().stage(name).orElseThrow().status();
        if (status == FINISHED || status == REUSED || status == FAILED || status == SKIPPED) {
          context.append(new StageReset(name, "upstream stage '" + from + "' " + why, true));
        }
        todo.addAll(plan.downstream(name));
      }
    }
  }

  /** Passes over a stage as if it finished, stopping it if it runs, so its downstream can run. */
  static final class Skip implements InputProcessor<MissionCommand, SkipStage> {
    @Override
    public void process(MissionCommand command, SkipStage skip, ProcessingContext context) {
      String stage = skip.getStage();
      Optional<StageView> found = target(context, command, stage, "skip",
          List.of(MissionStatus.RUNNING, MissionStatus.FAILED), WAITING, QUEUED, AWAITING_RETRY, AWAITING_RESULT, FAILED,
          DISPATCHED, RUNNING);
      if (found.isEmpty()) {
        return;
      }
      MissionPlan plan = context.missionPlan();
      String why = by(command, "skipped", skip.getReason());
      boolean resumed = resume(context, "stage '" + stage + "' " + why);
      boolean active = found.get().isActive();
      boolean queued = found.get().isQueued();
      Slots.release(context, plan, found.get(), "skipped");
      context.append(new StageSkipped(stage, why));
      reopenFailedFanOut(context, stage, why);
      if (!queued) {
        Instructions.stop(context, plan, found.get());
      }
      if (found.get().status() != FAILED) {
        Results.abandoned(context, found.get());
      }
      if (active) {
        Timers.forgetLiveness(context, stage, found.get().attempt());
      }
      if (resumed && leavesStagesToRun(context, plan, stage)) {
        // Only a mission with something to run waits for a place: one left with nothing ends now.
        MissionAdmissions.ask(context, plan);
      }
      Progress.dispatchReady(context, plan, plan.downstream(stage));
      Progress.concludeIfSettled(context, plan);
    }
  }

  /**
   * Whether skipping {@code stage} of an ended mission gives it something to run: a downstream
   * stage now ready, or, for a chunk, its fan-out, reopened to start or settle its chunks.
   */
  private static boolean leavesStagesToRun(ProcessingContext context, MissionPlan plan, String stage) {
    return StageInstance.isChunk(stage)
        || Progress.anyReady(context.mission().orElseThrow(), plan, plan.downstream(stage));
  }

  /**
   * A chunk skipped counts done, so the fan-out it failed may now finish or run its remaining
   * chunks: its stage runs again, and the fan-out's rule decides after the skip.
   */
  private static void reopenFailedFanOut(ProcessingContext context, String stage, String why) {
    if (!StageInstance.isChunk(stage)) {
      return;
    }
    String planStage = StageInstance.planStage(stage);
    if (context.mission().orElseThrow().stage(planStage).orElseThrow().status() == FAILED) {
      context.append(new StageReopened(planStage, "chunk '" + stage + "' " + why));
    }
  }

  /** Marks a stage failed for good, stopping it if it runs. */
  static final class Fail implements InputProcessor<MissionCommand, FailStage> {
    @Override
    public void process(MissionCommand command, FailStage fail, ProcessingContext context) {
      String stage = fail.getStage();
      Optional<StageView> found = target(context, command, stage, "fail", List.of(MissionStatus.RUNNING),
          WAITING, QUEUED, AWAITING_RETRY, AWAITING_RESULT, DISPATCHED, RUNNING);
      if (found.isEmpty()) {
        return;
      }
      MissionPlan plan = context.missionPlan();
      if (!found.get().isQueued()) {
        Instructions.stop(context, plan, found.get());
      }
      Failures.failAttempt(context, plan, stage, found.get().attempt(),
          new StageError(ManualStageErrors.markedFailed(command.getIssuedBy().getId(), fail.getReason()), null, false));
    }
  }
}
