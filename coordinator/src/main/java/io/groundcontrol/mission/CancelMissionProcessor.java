package io.groundcontrol.mission;

import io.groundcontrol.schema.CancelMission;
import io.groundcontrol.schema.MissionCancelled;
import io.groundcontrol.schema.MissionCommand;

/**
 * Cancels a running mission, tells the workers of its active attempts to stop, and tells the
 * results index that its pending stages bring no result, and gives back the slots they hold or
 * wait for.
 */
final class CancelMissionProcessor implements InputProcessor<MissionCommand, CancelMission> {
  @Override
  public void process(MissionCommand envelope, CancelMission cancel, ProcessingContext context) {
    String input = "cancel mission by " + envelope.getIssuedBy().getId();
    if (Rejections.unendedMission(context, input, "cancel it").isPresent()) {
      String reason = cancel.getReason() == null
          ? "cancelled by " + envelope.getIssuedBy().getId()
          : TextLimits.cut(cancel.getReason(), TextLimits.MAX_MESSAGE_BYTES) + " (cancelled by " + envelope.getIssuedBy().getId() + ")";
      context.append(new MissionCancelled(reason));
      endAttempts(context, context.missionPlan());
      MissionAdmissions.end(context, context.missionPlan(), "cancelled");
    }
  }

  /** Stages keep their status in a cancelled mission; what they hold or wait for ends with it. */
  private static void endAttempts(ProcessingContext context, MissionPlan plan) {
    MissionView mission = context.mission().orElseThrow();
    for (StageView stage : mission.stagesInPlanOrder(plan)) {
      if (stage.fanOut().isPresent()) {
        endChunks(context, plan, mission, stage.name(), stage.fanOut().get());
      } else {
        endAttempt(context, plan, stage);
      }
    }
  }

  /**
   * Ends the chunks out of a fanned-out stage. They are among the most recently dispatched, so the
   * walk goes from the last chunk down and stops once it met as many as the counters say are out.
   * It starts past the cursor, where a fan-out stored by an earlier version may hold a chunk out
   * (one started after it was skipped); the chunks were read with the mission, so this reads none.
   */
  private static void endChunks(
      ProcessingContext context, MissionPlan plan, MissionView mission, String stage, FanOut counters) {
    int out = counters.active();
    for (int index = counters.chunkCount() - 1; index >= 0 && out > 0; index--) {
      StageView chunk = mission.stage(StageInstance.chunk(stage, index)).orElse(null);
      if (chunk != null && chunk.isOut()) {
        out--;
        endAttempt(context, plan, chunk);
      }
    }
  }

  private static void endAttempt(ProcessingContext context, MissionPlan plan, StageView stage) {
    Slots.release(context, plan, stage, "mission cancelled");
    if (stage.isActive()) {
      Instructions.stop(context, plan, stage);
      Timers.forgetLiveness(context, stage.name(), stage.attempt());
    }
    if (stage.isOut()) {
      Results.abandoned(context, stage);
    }
  }
}
