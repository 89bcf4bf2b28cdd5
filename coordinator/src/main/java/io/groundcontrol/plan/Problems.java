package io.groundcontrol.plan;

import io.groundcontrol.plan.PlanProblem.Reason;
import io.groundcontrol.schema.Plan;
import io.groundcontrol.schema.PlanStage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Collects the problems of one plan source, so every check can report and carry on. */
final class Problems {
  private final String source;
  private final List<PlanProblem> found = new ArrayList<>();

  Problems(String source) {
    this.source = source;
  }

  int size() {
    return found.size();
  }

  void add(String stage, String field, Reason reason, String message) {
    found.add(new PlanProblem(source, stage, field, reason, message));
  }

  List<PlanProblem> list() {
    return List.copyOf(found);
  }

  /**
   * The problems sorted the way a reader goes through the plan: plan-level problems first, then each
   * stage's in the order of the stages; problems at the same place keep the order they were found.
   */
  static List<PlanProblem> inPlanOrder(List<PlanProblem> problems, Plan plan) {
    Map<String, Integer> position = new HashMap<>();
    List<PlanStage> stages = PlanStages.of(plan);
    for (int index = stages.size() - 1; index >= 0; index--) {
      PlanStage stage = stages.get(index);
      position.put(stageLabel(stage == null ? null : stage.getName(), index), index);
    }
    Comparator<PlanProblem> byStagePosition =
        Comparator.comparingInt(
            problem -> problem.stage() == null ? -1 : position.getOrDefault(problem.stage(), stages.size()));
    return problems.stream().sorted(byStagePosition).toList();
  }

  /**
   * How problems name a stage: by its name, or by its 1-based position when it has none, so that
   * the reader and the validator agree on what to call a stage whose name is missing.
   */
  static String stageLabel(String name, int index) {
    return name == null || name.isBlank() ? "#" + (index + 1) : name;
  }
}
