package io.groundcontrol.mission;

import io.groundcontrol.schema.MissionAdmission;
import io.groundcontrol.schema.MissionAdmitted;
import io.groundcontrol.schema.MissionStatus;
import io.groundcontrol.schema.MissionWaiting;
import java.util.List;
import java.util.Optional;

/**
 * Takes the mission-limits sub-topology's answer to a WAITING mission: admitted, it runs its ready
 * stages; not yet, it records why it waits. An answer to a mission that is no longer WAITING (it
 * was cancelled meanwhile) changes nothing: its end already gave the place back, after the answer
 * on the plan's partition, so nothing is held for it.
 */
final class MissionAdmissionProcessor implements InputProcessor<MissionAdmission, MissionAdmission> {
  @Override
  public void process(MissionAdmission answer, MissionAdmission same, ProcessingContext context) {
    Optional<MissionView> mission = context.mission().filter(m -> m.status() == MissionStatus.WAITING);
    if (mission.isEmpty()) {
      return;
    }
    if (!answer.getAdmitted()) {
      String reason = MissionAdmissions.waitingReason(answer.getPlanName(), answer.getActive(), answer.getLimit());
      if (!mission.get().reason().map(reason::equals).orElse(false)) {
        context.append(new MissionWaiting(reason, answer.getActive(),
            answer.getLimit() == null ? 0 : answer.getLimit()));
      }
      return;
    }
    MissionPlan plan = context.missionPlan();
    List<String> reopened = FanOuts.reopened(mission.get(), plan);
    context.append(new MissionAdmitted(answer.getActive(), answer.getLimit()));
    Progress.dispatchReady(context, plan, plan.stageNames());
    FanOuts.resumeAfterAdmission(context, plan, reopened);
    Progress.concludeIfSettled(context, plan);
  }
}
