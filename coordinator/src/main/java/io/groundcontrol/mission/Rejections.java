package io.groundcontrol.mission;

import io.groundcontrol.schema.MissionStatus;
import io.groundcontrol.schema.RejectionReason;
import io.groundcontrol.schema.StageReport;
import io.groundcontrol.schema.StageStatus;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The checks every input must pass before it changes a mission. A failed check records a rejection
 * with a fixed message shape, "Expected X, but Y", and returns empty.
 */
final class Rejections {
  private Rejections() {}

  /** The mission, if it exists; otherwise a rejection. */
  static Optional<MissionView> existingMission(ProcessingContext context, String input) {
    Optional<MissionView> mission = context.mission();
    if (mission.isEmpty()) {
      context.reject(RejectionReason.UNKNOWN_MISSION, input, "Expected mission '" + context.missionId() + "' to exist, but it is unknown");
    }
    return mission;
  }

  /** The running mission; otherwise a rejection saying what it is. */
  static Optional<MissionView> runningMission(ProcessingContext context, String input, String toDoWhat) {
    Optional<MissionView> mission = existingMission(context, input);
    if (mission.isPresent() && mission.get().status() != MissionStatus.RUNNING) {
      context.reject(RejectionReason.WRONG_MISSION_STATE, input, "Expected mission '" + context.missionId() + "' to be RUNNING to " + toDoWhat
          + ", but it is " + mission.get().status());
      return Optional.empty();
    }
    return mission;
  }

  /** The mission, RUNNING or WAITING for admission; otherwise a rejection saying what it is. */
  static Optional<MissionView> unendedMission(ProcessingContext context, String input, String toDoWhat) {
    Optional<MissionView> mission = existingMission(context, input);
    if (mission.isPresent() && mission.get().status() != MissionStatus.RUNNING
        && mission.get().status() != MissionStatus.WAITING) {
      context.reject(RejectionReason.WRONG_MISSION_STATE, input, "Expected mission '" + context.missionId()
          + "' to be RUNNING or WAITING to " + toDoWhat + ", but it is " + mission.get().status());
      return Optional.empty();
    }
    return mission;
  }

  /**
   * The reported stage, if the report is on its current attempt and it is in one of the expected
   * states; otherwise a rejection. Reports on an older attempt are stale: recorded, not applied.
   */
  static Optional<StageView> reportedStage(
      ProcessingContext context, StageReport report, String verb, StageStatus... expected) {
    String input = describe(report, verb);
    String toDoWhat = verb + " stage '" + report.getStage() + "'";
    Optional<MissionView> mission = runningMission(context, input, toDoWhat);
    if (mission.isEmpty()) {
      return Optional.empty();
    }
    Optional<StageView> stage = mission.get().stage(report.getStage());
    if (stage.isEmpty()) {
      context.reject(RejectionReason.UNKNOWN_STAGE, input, "Expected mission '" + context.missionId() + "' of plan '" + mission.get().planName()
          + "' to have stage '" + report.getStage() + "', but it has none");
      return Optional.empty();
    }
    if (fanOutItself(context, mission.get(), input, report.getStage())) {
      return Optional.empty();
    }
    if (stage.get().attempt() != report.getAttempt()) {
      context.reject(RejectionReason.STALE_ATTEMPT, input, "Expected a report on attempt " + stage.get().attempt() + " of stage '"
          + report.getStage() + "', but it is on attempt " + report.getAttempt());
      return Optional.empty();
    }
    if (!isOneOf(stage.get().status(), expected)) {
      context.reject(RejectionReason.WRONG_STAGE_STATE, input, "Expected stage '" + report.getStage() + "' of mission '" + context.missionId()
          + "' to be " + Arrays.stream(expected).map(Enum::name).collect(Collectors.joining(" or "))
          + " to " + verb + " it, but it is " + stage.get().status());
      return Optional.empty();
    }
    return stage;
  }

  /**
   * Whether {@code stage} is a stage the mission's plan fans out in chunks, recording a rejection if
   * so: only its chunks are sent to workers, and a report on the stage itself would finish or fail
   * it behind its chunks' backs (or have its retry send it, items unresolved, as a plain stage).
   */
  static boolean fanOutItself(ProcessingContext context, MissionView mission, String input, String stage) {
    if (StageInstance.isChunk(stage) || context.missionPlan().foreach(stage).isEmpty()) {
      return false;
    }
    context.reject(RejectionReason.WRONG_STAGE_STATE, input, "Expected a report on a chunk of stage '" + stage
        + "' of mission '" + mission.missionId() + "', such as '" + StageInstance.chunk(stage, 0)
        + "': it runs in chunks, and no worker runs the stage itself, but the report names '" + stage + "'");
    return true;
  }

  static String describe(StageReport report, String verb) {
    return verb + " stage '" + report.getStage() + "' (attempt " + report.getAttempt() + ") from worker "
        + report.getWorker().getId();
  }

  private static boolean isOneOf(StageStatus status, StageStatus[] expected) {
    for (StageStatus one : expected) {
      if (one == status) {
        return true;
      }
    }
    return false;
  }
}
