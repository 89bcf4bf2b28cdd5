package io.groundcontrol.plan;

import com.fasterxml.jackson.databind.JsonNode;
import io.groundcontrol.plan.PlanProblem.Reason;
import io.groundcontrol.schema.PlanStage;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The checks that look at one stage at a time: its names, its upstream list and its params. */
final class StageChecks {
  private final Problems problems;
  private final List<String> stageNames;
  private final Set<String> declaredParams;

  /**
   * @param stageNames the names of all stages of the plan, in plan order
   * @param declaredParams the names of the plan's mission params, in plan order
   */
  StageChecks(Problems problems, List<String> stageNames, Set<String> declaredParams) {
    this.problems = problems;
    this.stageNames = stageNames;
    this.declaredParams = declaredParams;
  }

  void check(PlanStage stage, int index) {
    String label = Problems.stageLabel(stage.getName(), index);
    NameRule.PLAN_OR_STAGE.check(problems, label, "name", "stage name", stage.getName());
    NameRule.COMPONENT.check(problems, label, "component", "component name", stage.getComponent());
    checkUpstream(stage, label);
    checkParams(stage, label);
  }

  private void checkUpstream(PlanStage stage, String label) {
    Map<String, Integer> timesListed = new LinkedHashMap<>();
    for (String upstream : PlanStages.upstream(stage)) {
      int times = timesListed.merge(upstream, 1, Integer::sum);
      if (times > 1) {
        continue;
      }
      if (upstream.equals(stage.getName())) {
        problems.add(label, "upstream", Reason.SELF_DEPENDENCY, "a stage cannot list itself as upstream");
      } else if (!stageNames.contains(upstream)) {
        problems.add(
            label,
            "upstream",
            Reason.UNKNOWN_UPSTREAM,
            "unknown upstream stage '" + upstream + "' (known: " + knownOtherThan(stage.getName()) + ")");
      }
    }
    timesListed.forEach(
        (upstream, times) -> {
          if (times > 1) {
            problems.add(
                label,
                "upstream",
                Reason.DUPLICATE_UPSTREAM,
                "upstream stage '" + upstream + "' is listed " + times + " times");
          }
        });
  }

  private String knownOtherThan(String stageName) {
    List<String> others = stageNames.stream().filter(name -> !name.equals(stageName)).distinct().toList();
    return others.isEmpty() ? "none" : String.join(", ", others);
  }

  private void checkParams(PlanStage stage, String label) {
    PlanStages.params(stage)
        .forEach(
            (key, jsonText) -> {
              String field = "params." + key;
              Optional<JsonNode> value = PlanJson.parseText(jsonText);
              if (value.isEmpty()) {
                problems.add(label, field, Reason.INVALID_JSON, "value is not valid JSON text: " + jsonText);
              } else {
                ParamReferences.in(value.get()).stream()
                    .filter(name -> !declaredParams.contains(name))
                    .forEach(name -> problems.add(label, field, Reason.UNDECLARED_PARAM, undeclared(name)));
              }
            });
  }

  private String undeclared(String name) {
    return "undeclared param '" + name + "' in ${params." + name + "} ("
        + (declaredParams.isEmpty() ? "the plan declares no params" : "declared: " + String.join(", ", declaredParams))
        + ")" + ClosestMatch.didYouMean(name, declaredParams);
  }
}
