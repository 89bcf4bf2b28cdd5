package io.groundcontrol.mission;

import io.groundcontrol.schema.CancelMission;
import io.groundcontrol.schema.MissionCancelled;
import io.groundcontrol.schema.MissionCommand;

/** Cancels a running mission and tells the workers of its active attempts to stop. */
final class CancelMissionProcessor implements InputProcessor<MissionCommand, CancelMission> {
  @Override
  public void process(MissionCommand envelope, CancelMission cancel, ProcessingContext context) {
    String input = "cancel mission by " + envelope.getIssuedBy().getId();
    if (Rejections.runningMission(context, input, "cancel it").isPresent()) {
      String reason = cancel.getReason() == null
          ? "cancelled by " + envelope.getIssuedBy().getId()
          : cancel.getReason() + " (cancelled by " + envelope.getIssuedBy().getId() + ")";
      context.append(new MissionCancelled(reason));
      stopActiveAttempts(context);
    }
  }

  private static void stopActiveAttempts(ProcessingContext context) {
    MissionPlan plan = context.missionPlan();
    for (StageView stage : context.mission().orElseThrow().stagesInPlanOrder(plan)) {
      if (stage.isActive()) {
        Instructions.stop(context, plan, stage);
        Timers.forgetLiveness(context, stage.name(), stage.attempt());
      }
    }
  }
}
