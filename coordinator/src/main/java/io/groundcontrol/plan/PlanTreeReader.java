package io.groundcontrol.plan;

import com.fasterxml.jackson.databind.JsonNode;
import io.groundcontrol.plan.PlanProblem.Reason;
import io.groundcontrol.schema.DuplicateStartPolicy;
import io.groundcontrol.schema.Plan;
import io.groundcontrol.schema.PlanParam;
import io.groundcontrol.schema.PlanStage;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a parsed YAML or JSON tree into a {@link Plan}, reporting what does not fit the plan format:
 * unknown fields and values of the wrong type. It reads on past every problem and leaves what it
 * could not use empty, so that {@link PlanValidator} can check the rest and the user sees every
 * problem at once. Missing required fields are left to the validator, which reports them for plans
 * from any source.
 */
final class PlanTreeReader {
  private static final List<String> PLAN_FIELDS = List.of("name", "description", "params", "defaults", "stages", "on_duplicate", "max_active_missions");
  private static final List<String> STAGE_FIELDS =
      List.of("name", "component", "description", "upstream", "params", "retry", "timeout", "start_timeout", "reuse");
  private static final List<String> PARAM_FIELDS = List.of("description", "default");

  /** Where a stage, or one field of it, could not be used; the field is null for the whole stage. */
  private record Location(String stage, String field) {}

  private final Problems problems;
  private final PolicyReader policies;
  private final Set<Location> unusable = new HashSet<>();

  PlanTreeReader(Problems problems) {
    this.problems = problems;
    this.policies = new PolicyReader(problems);
  }

  Plan read(JsonNode root) {
    if (!root.isObject()) {
      problems.add(null, null, Reason.WRONG_TYPE, "expected a mapping with 'name' and 'stages', but got " + kind(root));
      unusable.add(new Location(null, null));
      return new Plan(null, null, null, List.of(), List.of(), null, DuplicateStartPolicy.RETURN_EXISTING, null);
    }
    rejectUnknownFields(root, PLAN_FIELDS, null, null);
    return new Plan(
        requiredString(root, "name", null),
        null,
        optionalString(root, "description", null),
        params(root.get("params")),
        stages(root.get("stages")),
        policies.defaults(root.get("defaults")),
        onDuplicate(root),
        maxActiveMissions(root));
  }

  /** A whole number; its range is the validator's, which checks plans from any source. */
  private Integer maxActiveMissions(JsonNode root) {
    JsonNode value = root.get("max_active_missions");
    if (isAbsent(value)) {
      return null;
    }
    if (!value.canConvertToInt() || !value.isIntegralNumber()) {
      problems.add(null, "max_active_missions", Reason.WRONG_TYPE,
          "expected a whole number of at least 1 (1: never two missions of the plan at once), but got " + kind(value));
      unusable.add(new Location(null, "max_active_missions"));
      return null;
    }
    return value.intValue();
  }

  private DuplicateStartPolicy onDuplicate(JsonNode root) {
    String value = optionalString(root, "on_duplicate", null);
    if (value == null) {
      return DuplicateStartPolicy.RETURN_EXISTING;
    }
    for (DuplicateStartPolicy policy : DuplicateStartPolicy.values()) {
      if (policy.name().toLowerCase(java.util.Locale.ROOT).equals(value)) {
        return policy;
      }
    }
    problems.add(null, "on_duplicate", Reason.WRONG_TYPE,
        "expected return_existing, reject or allow_if_failed, but got '" + value + "'");
    return DuplicateStartPolicy.RETURN_EXISTING;
  }

  /**
   * Whether a problem the validator found in the plan read here is only a consequence of a problem
   * already reported here, such as a "missing" name that was in fact a list.
   */
  boolean alreadyReported(PlanProblem problem) {
    return unusable.contains(new Location(null, null))
        || unusable.contains(new Location(problem.stage(), problem.field()))
        || (problem.stage() != null && unusable.contains(new Location(problem.stage(), null)));
  }

  private List<PlanParam> params(JsonNode params) {
    List<PlanParam> declared = new ArrayList<>();
    if (isAbsent(params)) {
      return declared;
    }
    if (!params.isObject()) {
      problems.add(null, "params", Reason.WRONG_TYPE,
          "expected a mapping from param name to {description, default}, but got " + kind(params));
      return declared;
    }
    params.properties().forEach(entry -> declared.add(param(entry.getKey(), entry.getValue())));
    return declared;
  }

  private PlanParam param(String name, JsonNode spec) {
    String field = "params." + name;
    if (isAbsent(spec)) {
      return new PlanParam(name, null, null);
    }
    if (!spec.isObject()) {
      problems.add(null, field, Reason.WRONG_TYPE,
          "expected a mapping with 'description' and 'default', but got " + kind(spec)
              + "; for a default, write {default: " + PlanJson.toText(spec) + "}");
      return new PlanParam(name, null, null);
    }
    rejectUnknownFields(spec, PARAM_FIELDS, null, field);
    JsonNode defaultValue = spec.get("default");
    return new PlanParam(
        name,
        optionalString(spec, "description", null, field + ".description"),
        // An explicit null is a default like any other: the param becomes optional, defaulting to null.
        defaultValue == null ? null : PlanJson.toText(defaultValue));
  }

  private List<PlanStage> stages(JsonNode stages) {
    List<PlanStage> read = new ArrayList<>();
    if (isAbsent(stages)) {
      return read;
    }
    if (!stages.isArray()) {
      problems.add(null, "stages", Reason.WRONG_TYPE, "expected a list of stages, but got " + kind(stages));
      unusable.add(new Location(null, "stages"));
      return read;
    }
    for (int index = 0; index < stages.size(); index++) {
      read.add(stage(stages.get(index), index));
    }
    return read;
  }

  private PlanStage stage(JsonNode stage, int index) {
    if (!stage.isObject()) {
      String label = Problems.stageLabel(null, index);
      problems.add(label, null, Reason.WRONG_TYPE,
          "expected a mapping with 'name' and 'component', but got " + kind(stage));
      unusable.add(new Location(label, null));
      return new PlanStage(null, null, List.of(), Map.of(), null, null, null, null, null);
    }
    JsonNode name = stage.get("name");
    String label = Problems.stageLabel(name != null && name.isTextual() ? name.textValue() : null, index);
    rejectUnknownFields(stage, STAGE_FIELDS, label, null);
    return new PlanStage(
        requiredString(stage, "name", label),
        requiredString(stage, "component", label),
        upstream(stage.get("upstream"), label),
        stageParams(stage.get("params"), label),
        optionalString(stage, "description", label),
        policies.retry(stage.get("retry"), label, "retry"),
        policies.timeout(stage.get("timeout"), label, "timeout"),
        policies.timeout(stage.get("start_timeout"), label, "start_timeout"),
        policies.reuse(stage.get("reuse"), label, "reuse"));
  }

  private List<String> upstream(JsonNode upstream, String label) {
    List<String> names = new ArrayList<>();
    if (isAbsent(upstream)) {
      return names;
    }
    if (!upstream.isArray()) {
      String hint = upstream.isValueNode() ? "; write [" + upstream.asText() + "]" : "";
      problems.add(label, "upstream", Reason.WRONG_TYPE,
          "expected a list of stage names, but got " + kind(upstream) + hint);
      return names;
    }
    for (int index = 0; index < upstream.size(); index++) {
      JsonNode entry = upstream.get(index);
      if (entry.isTextual()) {
        names.add(entry.textValue());
      } else {
        problems.add(label, "upstream", Reason.WRONG_TYPE,
            "expected a list of stage names, but entry " + (index + 1) + " is " + kind(entry));
      }
    }
    return names;
  }

  private Map<String, String> stageParams(JsonNode params, String label) {
    Map<String, String> jsonTexts = new LinkedHashMap<>();
    if (isAbsent(params)) {
      return jsonTexts;
    }
    if (!params.isObject()) {
      problems.add(label, "params", Reason.WRONG_TYPE,
          "expected a mapping from param name to value, but got " + kind(params));
      return jsonTexts;
    }
    params.properties().forEach(entry -> jsonTexts.put(entry.getKey(), PlanJson.toText(entry.getValue())));
    return jsonTexts;
  }

  private void rejectUnknownFields(JsonNode object, List<String> known, String stage, String field) {
    object.fieldNames().forEachRemaining(name -> {
      if (known.contains(name)) {
        return;
      }
      if (name.equals("version") && stage == null && field == null) {
        problems.add(null, null, Reason.UNKNOWN_FIELD,
            "field 'version' cannot be set: it is computed from the plan's content");
      } else {
        problems.add(stage, field, Reason.UNKNOWN_FIELD,
            "unknown field '" + name + "'" + ClosestMatch.didYouMean(name, known));
      }
    });
  }

  /** A string the plan cannot do without; absent or null is left to the validator to report. */
  private String requiredString(JsonNode object, String field, String stage) {
    String value = optionalString(object, field, stage, field);
    if (value == null && !isAbsent(object.get(field))) {
      unusable.add(new Location(stage, field));
    }
    return value;
  }

  private String optionalString(JsonNode object, String field, String stage) {
    return optionalString(object, field, stage, field);
  }

  private String optionalString(JsonNode object, String key, String stage, String field) {
    JsonNode value = object.get(key);
    if (isAbsent(value)) {
      return null;
    }
    if (!value.isTextual()) {
      String hint = value.isValueNode() ? "; quote it to make it a string" : "";
      problems.add(stage, field, Reason.WRONG_TYPE, "expected a string, but got " + kind(value) + hint);
      return null;
    }
    return value.textValue();
  }

  private static boolean isAbsent(JsonNode value) {
    return value == null || value.isNull() || value.isMissingNode();
  }

  /** What a value is, in the words of someone writing YAML. */
  private static String kind(JsonNode value) {
    if (value.isTextual()) {
      return "a string";
    } else if (value.isNumber()) {
      return "a number (" + value.asText() + ")";
    } else if (value.isBoolean()) {
      return "a boolean (" + value.asText() + ")";
    } else if (value.isArray()) {
      return "a list";
    } else if (value.isObject()) {
      return "a mapping";
    }
    return "null";
  }
}
