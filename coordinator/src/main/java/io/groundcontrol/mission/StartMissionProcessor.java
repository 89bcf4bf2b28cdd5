package io.groundcontrol.mission;

import io.groundcontrol.schema.MissionCommand;
import io.groundcontrol.schema.MissionStarted;
import io.groundcontrol.schema.RejectionReason;
import io.groundcontrol.schema.StageExcluded;
import io.groundcontrol.schema.StageSkipped;
import io.groundcontrol.schema.StageStatus;
import io.groundcontrol.schema.StartMission;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.Optional;

/** Starts a mission on the latest version of its plan, excluding stages if asked, and dispatches the roots. */
final class StartMissionProcessor implements InputProcessor<MissionCommand, StartMission> {
  @Override
  public void process(MissionCommand envelope, StartMission start, ProcessingContext context) {
    String input = "start mission on plan '" + start.getPlanName() + "'";
    if (context.mission().isPresent()) {
      DuplicateStarts.answer(context, start, input);
      return;
    }
    Optional<StartChecks.Refusal> early = StartChecks.beforePlan(envelope.getMissionId(), start);
    if (early.isPresent()) {
      context.reject(early.get().reason(), input, early.get().message());
      return;
    }
    Optional<MissionPlan> found = context.plans().latest(start.getPlanName());
    if (found.isEmpty()) {
      context.reject(RejectionReason.UNKNOWN_PLAN, input, "Expected plan '" + start.getPlanName() + "' to be applied, but it is unknown");
      return;
    }
    MissionPlan plan = found.get();
    StartChecks.OnPlan checked = StartChecks.onPlan(plan, start);
    if (checked.refusal().isPresent()) {
      context.reject(checked.refusal().get().reason(), input, checked.refusal().get().message());
      return;
    }
    context.append(new MissionStarted(plan.name(), plan.version(), checked.params(), plan.stageNames(),
        start.getNoReuse(), start.getPriority()));
    exclude(context, plan, start.getExcludedStages());
    MissionAdmissions.ask(context, plan);
    if (start.getStartFrom().isEmpty()) {
      Progress.dispatchReady(context, plan, plan.roots());
    } else {
      skipBefore(context, plan, start.getStartFrom());
      Progress.dispatchReady(context, plan, plan.stageNames());
    }
    Progress.concludeIfSettled(context, plan);
  }

  /** Skips every stage that is neither a start stage nor downstream of one. */
  private static void skipBefore(ProcessingContext context, MissionPlan plan, List<String> startFrom) {
    Set<String> run = new HashSet<>();
    Deque<String> todo = new ArrayDeque<>(startFrom);
    while (!todo.isEmpty()) {
      String stage = todo.pop();
      if (run.add(stage)) {
        todo.addAll(plan.downstream(stage));
      }
    }
    String reason = "before the start point (" + String.join(", ", startFrom) + ")";
    for (String stage : plan.stageNames()) {
      if (!run.contains(stage) && context.mission().orElseThrow().stage(stage).orElseThrow().status() == StageStatus.WAITING) {
        context.append(new StageSkipped(stage, reason));
      }
    }
  }

  /** Excludes the named stages and, transitively, everything downstream of them. */
  private static void exclude(ProcessingContext context, MissionPlan plan, List<String> excluded) {
    Deque<String> todo = new ArrayDeque<>();
    for (String stage : excluded) {
      excludeOne(context, stage, "excluded at start", todo);
    }
    while (!todo.isEmpty()) {
      String upstream = todo.pop();
      for (String downstream : plan.downstream(upstream)) {
        excludeOne(context, downstream, "upstream stage '" + upstream + "' is excluded", todo);
      }
    }
  }

  private static void excludeOne(ProcessingContext context, String stage, String reason, Deque<String> todo) {
    if (context.mission().orElseThrow().stage(stage).orElseThrow().status() != StageStatus.EXCLUDED) {
      context.append(new StageExcluded(stage, reason));
      todo.push(stage);
    }
  }
}
