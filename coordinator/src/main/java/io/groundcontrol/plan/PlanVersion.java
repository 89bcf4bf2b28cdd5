package io.groundcontrol.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.groundcontrol.schema.DuplicateStartPolicy;
import io.groundcontrol.schema.Plan;
import io.groundcontrol.schema.PlanParam;
import io.groundcontrol.schema.PlanStage;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The version of a plan: a hash of what the plan means, not of how its file is written. Formatting,
 * comments, YAML or JSON, the order of keys, and the order of stages, params and upstream entries
 * do not change it; any change to a name, component, dependency, description or value does. A decimal
 * a double holds exactly counts by its value: {@code 1.5} and {@code 1.50} give one version.
 *
 * <p>The version is the first {@value #LENGTH} hex digits of the SHA-256 of a canonical JSON form
 * of the plan. It is meant for valid plans; an invalid one still gets a version, but two invalid
 * plans may share one.
 */
public final class PlanVersion {
  /** Hex digits in a version: 48 bits, so accidental collisions within one plan's history are negligible. */
  public static final int LENGTH = 12;

  /** Changes if the canonical form ever changes, so old and new versions never collide. */
  private static final String CANONICAL_FORM = "groundcontrol-plan-v1\n";

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final Comparator<String> NULLS_FIRST = Comparator.nullsFirst(Comparator.naturalOrder());

  private PlanVersion() {}

  /** The version of {@code plan}, ignoring whatever version it already carries. */
  public static String of(Plan plan) {
    // Decimals as doubles where that loses nothing: 1.50 and 1.5 are one value, and versions of plans
    // applied before numbers were read exactly stay the same.
    String text = PlanJson.toText(ExactJson.forHashing(canonicalForm(plan)));
    byte[] canonical = (CANONICAL_FORM + text).getBytes(StandardCharsets.UTF_8);
    return HexFormat.of().formatHex(sha256(canonical)).substring(0, LENGTH);
  }

  /** The plan as a JSON tree in which every object's keys and every set-like list are sorted. */
  static JsonNode canonicalForm(Plan plan) {
    ObjectNode root = NODES.objectNode();
    root.put("name", plan.getName());
    root.put("description", plan.getDescription());
    ArrayNode params = root.putArray("params");
    PlanStages.params(plan).stream()
        .filter(Objects::nonNull)
        .sorted(Comparator.comparing(PlanParam::getName, NULLS_FIRST))
        .forEach(param -> params.add(canonicalForm(param)));
    ArrayNode stages = root.putArray("stages");
    PlanStages.of(plan).stream()
        .filter(Objects::nonNull)
        .sorted(Comparator.comparing(PlanStage::getName, NULLS_FIRST))
        .forEach(stage -> stages.add(canonicalForm(stage)));
    if (plan.getDefaults() != null) {
      ObjectNode defaults = (ObjectNode) PlanJson.parseText(plan.getDefaults().toString()).orElseThrow();
      if (plan.getDefaults().getStartTimeoutMs() == null) {
        defaults.remove("startTimeoutMs");
      }
      root.set("defaults", defaults);
    }
    // Counts only when set, so plans written before it existed keep their versions.
    if (plan.getOnDuplicate() != null && plan.getOnDuplicate() != DuplicateStartPolicy.RETURN_EXISTING) {
      root.put("onDuplicate", plan.getOnDuplicate().name());
    }
    if (plan.getMaxActiveMissions() != null) {
      root.put("maxActiveMissions", plan.getMaxActiveMissions());
    }
    return ExactJson.sortedKeys(root);
  }

  private static JsonNode canonicalForm(PlanParam param) {
    ObjectNode node = NODES.objectNode();
    node.put("name", param.getName());
    node.put("description", param.getDescription());
    // Absent and an explicit JSON null differ: the first makes the param required.
    if (param.getDefaultValue() != null) {
      node.set("default", value(param.getDefaultValue()));
    }
    return node;
  }

  private static JsonNode canonicalForm(PlanStage stage) {
    ObjectNode node = NODES.objectNode();
    node.put("name", stage.getName());
    node.put("component", stage.getComponent());
    node.put("description", stage.getDescription());
    ArrayNode upstream = node.putArray("upstream");
    PlanStages.upstream(stage).stream().sorted().forEach(upstream::add);
    ObjectNode params = node.putObject("params");
    Map<String, String> sortedParams = new TreeMap<>(NULLS_FIRST);
    sortedParams.putAll(PlanStages.params(stage));
    sortedParams.forEach((key, text) -> params.set(key, value(text)));
    // Policies count only when set, so plans written before they existed keep their versions.
    if (stage.getRetry() != null) {
      node.set("retry", policy(stage.getRetry()));
    }
    if (stage.getTimeoutMs() != null) {
      node.put("timeoutMs", stage.getTimeoutMs());
    }
    if (stage.getReuse() != null) {
      node.put("reuseMaxAgeMs", stage.getReuse().getMaxAgeMs());
    }
    if (stage.getForeach() != null) {
      ObjectNode foreach = node.putObject("foreach");
      foreach.put("source", stage.getForeach().getSource());
      foreach.put("chunkSize", stage.getForeach().getChunkSize());
      foreach.put("maxParallel", stage.getForeach().getMaxParallel());
      if (stage.getForeach().getTolerateFailedCount() != null) {
        foreach.put("tolerateFailedCount", stage.getForeach().getTolerateFailedCount());
      }
      if (stage.getForeach().getTolerateFailedPercent() != null) {
        foreach.put("tolerateFailedPercent", stage.getForeach().getTolerateFailedPercent());
      }
    }
    if (stage.getStartTimeoutMs() != null) {
      node.put("startTimeoutMs", stage.getStartTimeoutMs());
    }
    return node;
  }

  private static JsonNode policy(io.groundcontrol.schema.RetryPolicy retry) {
    return PlanJson.parseText(retry.toString()).orElseThrow();
  }

  /** Parsed, so that key order and spacing inside the JSON text do not count. */
  private static JsonNode value(String jsonText) {
    return PlanJson.parseText(jsonText).orElseGet(() -> TextNode.valueOf(jsonText));
  }

  private static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("Expected every Java runtime to provide SHA-256, but this one does not", e);
    }
  }
}
