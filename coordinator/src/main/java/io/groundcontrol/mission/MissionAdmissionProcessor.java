package io.groundcontrol.mission;

import io.groundcontrol.schema.MissionAdmission;
import io.groundcontrol.schema.MissionAdmitted;
import io.groundcontrol.schema.MissionStatus;
import io.groundcontrol.schema.MissionWaiting;
import java.util.List;
import java.util.Optional;

/**
 * Takes the mission-limits sub-topology's answer to a WAITING mission's latest ask: admitted, it
 * runs its ready stages; not yet, it records why it waits. Every answer names the ask it answers
 * ({@link MissionView#admissionAsk()}), so one read again (at-least-once) after the mission asked
 * anew is told apart. Other answers:
 *
 * <ul>
 *   <li>to the ask a RUNNING mission was admitted on: nothing; it holds its place, and this answer
 *       is a repeat.
 *   <li>an admission of any other ask (the mission has ended, is no longer kept, or asked anew
 *       since): the place is handed back at once, under that ask's number. The mission's end, or
 *       its new ask, gave back what that ask held, so either this answer crossed it (the hand-back
 *       names nothing the limits still hold, and changes nothing) or it answers that ask read again
 *       after it (a redelivery under at-least-once), and then the place would stay taken for ever
 *       without it. The hand-back never frees the place of the mission's latest ask, which has a
 *       number of its own.
 *   <li>a "not yet" of another ask: nothing.
 * </ul>
 */
final class MissionAdmissionProcessor implements InputProcessor<MissionAdmission, MissionAdmission> {
  @Override
  public void process(MissionAdmission answer, MissionAdmission same, ProcessingContext context) {
    Optional<MissionView> found = context.mission();
    Optional<MissionStatus> status = found.map(MissionView::status);
    boolean latestAsk = found.filter(mission -> mission.admissionAsk() == answer.getAsk()).isPresent();
    if (!latestAsk || status.get() != MissionStatus.WAITING) {
      boolean holding = latestAsk && status.get() == MissionStatus.RUNNING;
      if (answer.getAdmitted() && !holding) {
        boolean ended = status.filter(s -> s == MissionStatus.RUNNING || s == MissionStatus.WAITING).isEmpty();
        MissionAdmissions.handBack(context, answer, ended ? "admitted after it ended" : "admitted on an earlier ask");
      }
      return;
    }
    MissionView mission = context.mission().orElseThrow();
    if (!answer.getAdmitted()) {
      String reason = MissionAdmissions.waitingReason(answer.getPlanName(), answer.getActive(), answer.getLimit());
      if (!mission.reason().map(reason::equals).orElse(false)) {
        context.append(new MissionWaiting(reason, answer.getActive(),
            answer.getLimit() == null ? 0 : answer.getLimit(), null));
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
