package io.groundcontrol.mission;

import io.groundcontrol.schema.MissionAdmission;
import io.groundcontrol.schema.MissionAdmitted;
import io.groundcontrol.schema.MissionStatus;
import io.groundcontrol.schema.MissionWaiting;
import java.util.List;
import java.util.Optional;

/**
 * Takes the mission-limits sub-topology's answer to a WAITING mission: admitted, it runs its ready
 * stages; not yet, it records why it waits. Other answers:
 *
 * <ul>
 *   <li>to a RUNNING mission: nothing; it holds its place, and this answer is a repeat.
 *   <li>an admission of a mission that has ended (or is no longer kept): the place is handed back
 *       at once. Its end gave back what it held, so either this answer crossed that end (the
 *       hand-back changes nothing) or it answers an ask read again after that end (a redelivery
 *       under at-least-once), and then the place would stay taken for ever without it. The
 *       hand-back cannot free a place the mission needs: it asks again only when it waits again,
 *       which it writes after this on the plan's partition.
 * </ul>
 *
 * <p>Not told apart: an admission read again (at-least-once) by a mission that ended and waits
 * again, after a retry, is taken as the answer to its new ask; nothing in the answer names the ask.
 */
final class MissionAdmissionProcessor implements InputProcessor<MissionAdmission, MissionAdmission> {
  @Override
  public void process(MissionAdmission answer, MissionAdmission same, ProcessingContext context) {
    Optional<MissionStatus> status = context.mission().map(MissionView::status);
    if (status.isEmpty() || status.get() != MissionStatus.WAITING) {
      if (answer.getAdmitted() && status.filter(s -> s == MissionStatus.RUNNING).isEmpty()) {
        MissionAdmissions.handBack(context, answer);
      }
      return;
    }
    MissionView mission = context.mission().orElseThrow();
    if (!answer.getAdmitted()) {
      String reason = MissionAdmissions.waitingReason(answer.getPlanName(), answer.getActive(), answer.getLimit());
      if (!mission.reason().map(reason::equals).orElse(false)) {
        context.append(new MissionWaiting(reason, answer.getActive(),
            answer.getLimit() == null ? 0 : answer.getLimit()));
      }
      return;
    }
    MissionPlan plan = context.missionPlan();
    List<String> reopened = FanOuts.reopened(mission, plan);
    context.append(new MissionAdmitted(answer.getActive(), answer.getLimit()));
    Progress.dispatchReady(context, plan, plan.stageNames());
    FanOuts.resumeAfterAdmission(context, plan, reopened);
    Progress.concludeIfSettled(context, plan);
  }
}
