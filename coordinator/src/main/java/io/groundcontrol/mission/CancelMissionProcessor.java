package io.groundcontrol.mission;

import io.groundcontrol.schema.CancelMission;
import io.groundcontrol.schema.MissionCancelled;
import io.groundcontrol.schema.MissionCommand;
import io.groundcontrol.schema.StageStatus;

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
          : cancel.getReason() + " (cancelled by " + envelope.getIssuedBy().getId() + ")";
      context.append(new MissionCancelled(reason));
      endAttempts(context, context.missionPlan());
      MissionAdmissions.end(context, context.missionPlan(), "cancelled");
    }
  }

  /** Stages keep their status in a cancelled mission; what they hold or wait for ends with it. */
  private static void endAttempts(ProcessingContext context, MissionPlan plan) {
    for (StageView stage : context.mission().orElseThrow().stagesInPlanOrder(plan)) {
      Slots.release(context, plan, stage, "mission cancelled");
      if (stage.isActive()) {
        Instructions.stop(context, plan, stage);
        Timers.forgetLiveness(context, stage.name(), stage.attempt());
      }
      if (stage.isActive() || stage.status() == StageStatus.AWAITING_RETRY
          || stage.status() == StageStatus.AWAITING_RESULT || stage.status() == StageStatus.QUEUED) {
        Results.abandoned(context, stage);
      }
    }
  }
}
