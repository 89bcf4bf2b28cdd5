package io.groundcontrol.plan;

import com.fasterxml.jackson.databind.JsonNode;
import io.groundcontrol.plan.PlanProblem.Reason;
import io.groundcontrol.schema.ForeachPolicy;
import io.groundcontrol.schema.PlanStage;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The checks that look at one stage at a time: its names, its upstream list, its params and its policies. */
final class StageChecks {
  private static final Pattern WHOLE_PARAM = Pattern.compile("\\$\\{params\\.([A-Za-z0-9_.-]+)}");
  private static final Pattern WHOLE_OUTPUT = Pattern.compile("\\$\\{stages\\.[^}]+?\\.outputs\\.[^}]+}");
  private static final Pattern CHUNK_REFERENCE = Pattern.compile("(?<!\\$)\\$\\{chunk\\.([^}]*)}");
  /** Any {@code ${...}} but the escape {@code $${}; a known one starts with one of {@link #KNOWN_PREFIXES}. */
  private static final Pattern ANY_REFERENCE = Pattern.compile("(?<!\\$)\\$\\{([^}]*)}");
  private static final List<String> KNOWN_PREFIXES = List.of("params.", "stages.", "chunk.");

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
    checkForeach(stage, label);
    if (stage.getRetry() != null) {
      RetryPolicyChecks.check(problems, label, "retry", stage.getRetry());
    }
    DurationChecks.stage(problems, label, stage);
  }

  /** {@code foreach} is exactly one reference to an array; its chunk settings are in range. */
  private void checkForeach(PlanStage stage, String label) {
    ForeachPolicy foreach = stage.getForeach();
    if (foreach == null) {
      return;
    }
    String source = foreach.getSource() == null ? "" : foreach.getSource().trim();
    Matcher param = WHOLE_PARAM.matcher(source);
    if (param.matches()) {
      if (!declaredParams.contains(param.group(1))) {
        problems.add(label, "foreach", Reason.UNDECLARED_PARAM, undeclared(param.group(1)));
      }
    } else if (!WHOLE_OUTPUT.matcher(source).matches()) {
      problems.add(label, "foreach", Reason.INVALID_FOREACH,
          "expected exactly one reference to a JSON array, ${params.NAME} or ${stages.STAGE.outputs.NAME}, but got '"
              + foreach.getSource() + "'");
    }
    if (foreach.getChunkSize() < 1) {
      problems.add(label, "chunk_size", Reason.INVALID_FOREACH, "chunk_size must be at least 1, but is " + foreach.getChunkSize());
    }
    if (foreach.getMaxParallel() < 1) {
      problems.add(label, "max_parallel", Reason.INVALID_FOREACH,
          "max_parallel must be at least 1, but is " + foreach.getMaxParallel());
    }
    Integer count = foreach.getTolerateFailedCount();
    Double percent = foreach.getTolerateFailedPercent();
    if (count != null && percent != null) {
      problems.add(label, "tolerate_failed", Reason.INVALID_FOREACH, "give a count or a share, not both");
    }
    if (count != null && count < 0) {
      problems.add(label, "tolerate_failed", Reason.INVALID_FOREACH, "tolerate_failed must not be negative, but is " + count);
    }
    if (percent != null && !(percent >= 0 && percent <= 100)) {
      problems.add(label, "tolerate_failed", Reason.INVALID_FOREACH,
          "tolerate_failed must be a share between 0% and 100%, but is " + PolicyReader.percentText(percent));
    }
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
                checkChunkReferences(stage, label, field, jsonText);
                checkUnknownReferences(value.get(), label, field);
                ParamReferences.in(value.get()).stream()
                    .filter(name -> !declaredParams.contains(name))
                    .forEach(name -> problems.add(label, field, Reason.UNDECLARED_PARAM, undeclared(name)));
              }
            });
  }

  /** {@code ${chunk.items}} and {@code ${chunk.index}} exist only in the chunks of a foreach stage. */
  private void checkChunkReferences(PlanStage stage, String label, String field, String jsonText) {
    Matcher reference = CHUNK_REFERENCE.matcher(jsonText);
    while (reference.find()) {
      String what = reference.group(1);
      if (!what.equals("items") && !what.equals("index")) {
        problems.add(label, field, Reason.MALFORMED_REFERENCE,
            "expected ${chunk.items} or ${chunk.index}, but got ${chunk." + what + "}");
      } else if (stage.getForeach() == null) {
        problems.add(label, field, Reason.INVALID_FOREACH,
            "${chunk." + what + "} exists only in a stage with foreach; add foreach: \"${params.NAME}\" to the stage");
      }
    }
  }

  /**
   * Every {@code ${...}} in the strings of {@code value} has a known form (whose parts the other
   * checks look at): a misspelt one would reach the worker as written.
   */
  private void checkUnknownReferences(JsonNode value, String label, String field) {
    if (value.isTextual()) {
      Matcher reference = ANY_REFERENCE.matcher(value.textValue());
      while (reference.find()) {
        if (KNOWN_PREFIXES.stream().noneMatch(reference.group(1)::startsWith)) {
          problems.add(label, field, Reason.UNKNOWN_REFERENCE, "unknown reference '" + reference.group()
              + "'; expected ${params.NAME}, ${stages.STAGE.outputs.NAME}, ${chunk.items} or ${chunk.index}"
              + " (write $${ for a literal ${)");
        }
      }
    } else if (value.isContainerNode()) {
      value.elements().forEachRemaining(element -> checkUnknownReferences(element, label, field));
    }
  }

  private String undeclared(String name) {
    return "undeclared param '" + name + "' in ${params." + name + "} ("
        + (declaredParams.isEmpty() ? "the plan declares no params" : "declared: " + String.join(", ", declaredParams))
        + ")" + ClosestMatch.didYouMean(name, declaredParams);
  }
}
