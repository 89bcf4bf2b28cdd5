package io.groundcontrol.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.groundcontrol.schema.DuplicateStartPolicy;
import io.groundcontrol.schema.Plan;
import io.groundcontrol.schema.PlanParam;
import io.groundcontrol.schema.PlanStage;
import io.groundcontrol.schema.RetryPolicy;

/**
 * Turns a {@link Plan} back into the tree of the plan file format, the inverse of {@link
 * PlanTreeReader}: param values are JSON values again, not JSON text, and empty parts are left out.
 * The version is not part of the file format and is left out too.
 */
final class PlanWriter {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private PlanWriter() {}

  static JsonNode toTree(Plan plan) {
    ObjectNode root = NODES.objectNode();
    root.put("name", plan.getName());
    putIfPresent(root, "description", plan.getDescription());
    if (!PlanStages.params(plan).isEmpty()) {
      ObjectNode params = root.putObject("params");
      for (PlanParam param : PlanStages.params(plan)) {
        ObjectNode spec = params.putObject(param.getName());
        putIfPresent(spec, "description", param.getDescription());
        if (param.getDefaultValue() != null) {
          spec.set("default", value(param.getDefaultValue()));
        }
      }
    }
    if (plan.getDefaults() != null) {
      ObjectNode defaults = root.putObject("defaults");
      putPolicies(defaults, plan.getDefaults().getRetry(), plan.getDefaults().getTimeoutMs(),
          plan.getDefaults().getStartTimeoutMs());
    }
    if (plan.getOnDuplicate() != null && plan.getOnDuplicate() != DuplicateStartPolicy.RETURN_EXISTING) {
      root.put("on_duplicate", plan.getOnDuplicate().name().toLowerCase(java.util.Locale.ROOT));
    }
    if (plan.getMaxActiveMissions() != null) {
      root.put("max_active_missions", plan.getMaxActiveMissions());
    }
    PlanStages.of(plan).forEach(stage -> root.withArray("stages").add(toTree(stage)));
    return root;
  }

  private static JsonNode toTree(PlanStage stage) {
    ObjectNode node = NODES.objectNode();
    node.put("name", stage.getName());
    node.put("component", stage.getComponent());
    putIfPresent(node, "description", stage.getDescription());
    if (!PlanStages.upstream(stage).isEmpty()) {
      PlanStages.upstream(stage).forEach(node.putArray("upstream")::add);
    }
    if (!PlanStages.params(stage).isEmpty()) {
      ObjectNode params = node.putObject("params");
      PlanStages.params(stage).forEach((key, text) -> params.set(key, value(text)));
    }
    putPolicies(node, stage.getRetry(), stage.getTimeoutMs(), stage.getStartTimeoutMs());
    if (stage.getReuse() != null) {
      node.putObject("reuse").put("max_age", stage.getReuse().getMaxAgeMs() + "ms");
    }
    return node;
  }

  private static void putPolicies(ObjectNode node, RetryPolicy retry, Long timeoutMs, Long startTimeoutMs) {
    if (retry != null) {
      ObjectNode spec = node.putObject("retry");
      spec.put("attempts", retry.getMaxAttempts());
      spec.put("backoff", retry.getInitialBackoffMs() + "ms");
      spec.put("multiplier", retry.getBackoffMultiplier());
      spec.put("max_backoff", retry.getMaxBackoffMs() + "ms");
      spec.put("jitter", retry.getJitter());
    }
    if (timeoutMs != null) {
      node.put("timeout", timeoutMs + "ms");
    }
    if (startTimeoutMs != null) {
      node.put("start_timeout", startTimeoutMs + "ms");
    }
  }

  private static void putIfPresent(ObjectNode node, String field, String value) {
    if (value != null) {
      node.put(field, value);
    }
  }

  /** A plan from Kafka may hold text that is not JSON; show it as the string it is. */
  private static JsonNode value(String jsonText) {
    return PlanJson.parseText(jsonText).orElseGet(() -> TextNode.valueOf(jsonText));
  }
}
