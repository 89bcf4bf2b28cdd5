package io.groundcontrol.mission;

import io.groundcontrol.schema.DuplicateStartPolicy;
import io.groundcontrol.schema.MissionResumed;
import io.groundcontrol.schema.MissionStatus;
import io.groundcontrol.schema.RejectionReason;
import io.groundcontrol.schema.StageReset;
import io.groundcontrol.schema.StageStatus;
import io.groundcontrol.schema.StartDeduplicated;
import io.groundcontrol.schema.StartMission;
import java.util.List;

/**
 * Answers a start whose mission id already exists, by the plan's {@code on_duplicate}: a start is
 * idempotent, so a retried request, a second fire of a schedule or a repeated trigger key never
 * starts a second mission. Every answer is an event in the existing mission's log, where the
 * sender waits for it.
 */
final class DuplicateStarts {
  private DuplicateStarts() {}

  static void answer(ProcessingContext context, StartMission start, String input) {
    MissionView existing = context.mission().orElseThrow();
    if (!existing.planName().equals(start.getPlanName())) {
      context.reject(RejectionReason.DUPLICATE_MISSION, input, "Expected mission '" + existing.missionId() + "' to be new or of plan '"
          + start.getPlanName() + "', but it is " + existing.status() + " on plan '" + existing.planName()
          + "' since " + existing.startedAt());
      return;
    }
    DuplicateStartPolicy policy = context.plans().latest(start.getPlanName())
        .map(MissionPlan::onDuplicate).orElse(DuplicateStartPolicy.RETURN_EXISTING);
    switch (policy) {
      case REJECT -> context.reject(RejectionReason.DUPLICATE_MISSION, input, "Expected mission '" + existing.missionId() + "' to be new (plan '"
          + existing.planName() + "' rejects duplicate starts), but it is " + existing.status() + " since "
          + existing.startedAt());
      case ALLOW_IF_FAILED -> {
        if (existing.status() == MissionStatus.FAILED) {
          runFailedStagesAgain(context, input);
        } else {
          context.append(new StartDeduplicated(input, existing.status()));
        }
      }
      default -> context.append(new StartDeduplicated(input, existing.status()));
    }
  }

  /**
   * A FAILED mission started again under its id runs its failed stages (and what they blocked)
   * again, on the plan version and params it has: the mission id names one run of work, and the
   * log keeps both tries.
   */
  private static void runFailedStagesAgain(ProcessingContext context, String input) {
    MissionPlan plan = context.missionPlan();
    String why = "started again (" + input + "; on_duplicate allow_if_failed)";
    context.append(new MissionResumed(why));
    MissionAdmissions.ask(context, plan);
    List<String> failed = context.mission().orElseThrow().stagesInPlanOrder(plan).stream()
        .filter(stage -> stage.status() == StageStatus.FAILED).map(StageView::name).toList();
    for (String stage : failed) {
      if (context.mission().orElseThrow().stage(stage).orElseThrow().status() == StageStatus.FAILED) {
        context.append(new StageReset(stage, why, true));
        ManualStageProcessors.Retry.resetDownstream(context, plan, stage, why);
      }
    }
    Progress.dispatchReady(context, plan, failed);
    Progress.concludeIfSettled(context, plan);
  }
}
