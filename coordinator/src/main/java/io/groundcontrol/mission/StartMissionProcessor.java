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
    Optional<String> badId = MissionIds.problem(envelope.getMissionId());
    if (badId.isPresent()) {
      context.reject(RejectionReason.INVALID_INPUT, input, badId.get());
      return;
    }
    // Checked before anything quotes the params (a problem with one would), and whatever the plan.
    Optional<String> tooLarge = TextLimits.paramsTooLarge(start.getParams(), "");
    if (tooLarge.isPresent()) {
      context.reject(RejectionReason.INVALID_INPUT, input, tooLarge.get());
      return;
    }
    Optional<MissionPlan> found = context.plans().latest(start.getPlanName());
    if (found.isEmpty()) {
      context.reject(RejectionReason.UNKNOWN_PLAN, input, "Expected plan '" + start.getPlanName() + "' to be applied, but it is unknown");
      return;
    }
    MissionPlan plan = found.get();
    ParamResolver.Result params = ParamResolver.resolveMissionParams(plan, start.getParams());
    if (!params.ok()) {
      context.reject(RejectionReason.INVALID_INPUT, input, "Expected params that plan '" + plan.name() + "' accepts, but " + params.problem());
      return;
    }
    tooLarge = TextLimits.paramsTooLarge(params.params(), " once plan '" + plan.name() + "' adds its defaults");
    if (tooLarge.isPresent()) {
      context.reject(RejectionReason.INVALID_INPUT, input, tooLarge.get());
      return;
    }
    List<String> unknown = start.getExcludedStages().stream().filter(s -> !plan.hasStage(s)).toList();
    if (!unknown.isEmpty()) {
      context.reject(RejectionReason.UNKNOWN_STAGE, input, "Expected stages to exclude from plan '" + plan.name() + "', but it has no stage "
          + String.join(", ", unknown));
      return;
    }
    List<String> unknownStart = start.getStartFrom().stream().filter(s -> !plan.hasStage(s)).toList();
    if (!unknownStart.isEmpty()) {
      context.reject(RejectionReason.UNKNOWN_STAGE, input, "Expected stages to start from in plan '" + plan.name() + "', but it has no stage "
          + String.join(", ", unknownStart));
      return;
    }
    context.append(new MissionStarted(plan.name(), plan.version(), params.params(), plan.stageNames(),
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
