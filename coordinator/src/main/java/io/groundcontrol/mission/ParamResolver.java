package io.groundcontrol.mission;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.groundcontrol.schema.PlanParam;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fills mission inputs into stage params. Values are JSON text throughout. A string that is exactly
 * {@code ${params.NAME}} becomes the input's JSON value (a number stays a number); a reference
 * inside a longer string is replaced by the input's text.
 */
final class ParamResolver {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern REFERENCE = Pattern.compile("\\$\\{params\\.([A-Za-z0-9_.-]+)}");

  private ParamResolver() {}

  /**
   * The mission's inputs: the given ones checked against the plan's declarations, plus defaults.
   *
   * @return the resolved inputs, or the reason the given ones cannot start the plan
   */
  static Result resolveMissionParams(MissionPlan plan, Map<String, String> given) {
    Map<String, String> resolved = new LinkedHashMap<>();
    List<String> problems = new ArrayList<>();
    List<String> declared = new ArrayList<>();
    for (PlanParam param : plan.declaredParams()) {
      declared.add(param.getName());
      String value = given.getOrDefault(param.getName(), param.getDefaultValue());
      if (value == null) {
        problems.add("param '" + param.getName() + "' is required");
      } else if (!isJson(value)) {
        problems.add("param '" + param.getName() + "' is not JSON text: " + value);
      } else {
        resolved.put(param.getName(), value);
      }
    }
    for (String name : given.keySet()) {
      if (!declared.contains(name)) {
        problems.add("param '" + name + "' is not declared (declared: "
            + (declared.isEmpty() ? "none" : String.join(", ", declared)) + ")");
      }
    }
    return problems.isEmpty() ? new Result(resolved, null) : new Result(Map.of(), String.join("; ", problems));
  }

  /** The stage's params with every mission-input reference filled in. */
  static Map<String, String> resolveStageParams(Map<String, String> stageParams, Map<String, String> inputs) {
    if (stageParams.isEmpty()) {
      return Map.of();
    }
    Map<String, String> resolved = new LinkedHashMap<>();
    stageParams.forEach((key, json) -> resolved.put(key, json.contains("${params.") ? fill(json, inputs) : json));
    return resolved;
  }

  private static String fill(String json, Map<String, String> inputs) {
    try {
      return JSON.writeValueAsString(fill(JSON.readTree(json), inputs));
    } catch (JsonProcessingException e) {
      return json;
    }
  }

  private static JsonNode fill(JsonNode node, Map<String, String> inputs) throws JsonProcessingException {
    if (node.isTextual()) {
      return fillText(node.textValue(), inputs);
    }
    if (node instanceof ObjectNode object) {
      Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        field.setValue(fill(field.getValue(), inputs));
      }
    } else if (node instanceof ArrayNode array) {
      for (int i = 0; i < array.size(); i++) {
        array.set(i, fill(array.get(i), inputs));
      }
    }
    return node;
  }

  private static JsonNode fillText(String text, Map<String, String> inputs) throws JsonProcessingException {
    Matcher whole = REFERENCE.matcher(text);
    if (whole.matches() && inputs.containsKey(whole.group(1))) {
      return JSON.readTree(inputs.get(whole.group(1)));
    }
    Matcher matcher = REFERENCE.matcher(text);
    StringBuilder out = new StringBuilder();
    while (matcher.find()) {
      String value = inputs.get(matcher.group(1));
      String replacement = value == null ? matcher.group() : asText(JSON.readTree(value));
      matcher.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    matcher.appendTail(out);
    return TextNode.valueOf(out.toString());
  }

  private static String asText(JsonNode value) {
    return value.isTextual() ? value.textValue() : value.toString();
  }

  private static boolean isJson(String text) {
    try {
      JSON.readTree(text);
      return true;
    } catch (JsonProcessingException e) {
      return false;
    }
  }

  /** Resolved inputs, or why there are none. */
  record Result(Map<String, String> params, String problem) {
    boolean ok() {
      return problem == null;
    }
  }
}
