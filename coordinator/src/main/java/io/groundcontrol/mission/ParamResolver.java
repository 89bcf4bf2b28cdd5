package io.groundcontrol.mission;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.groundcontrol.plan.ExactJson;
import io.groundcontrol.schema.PlanParam;
import io.groundcontrol.schema.wire.JsonText;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fills mission inputs and upstream outputs into stage params. Values are JSON text throughout. A
 * string that is exactly {@code ${params.NAME}} or {@code ${stages.STAGE.outputs.NAME}} becomes the
 * referenced JSON value (a number stays a number); a reference inside a longer string is replaced
 * by the value's text. {@code $${} is the escape of a literal {@code ${}: {@code $${HOME}} reaches
 * the worker as {@code ${HOME}}.
 */
final class ParamResolver {
  private static final ObjectMapper JSON = ExactJson.mapper();
  /**
   * The most bytes (UTF-8, names and values) a stage's params may take once resolved: its RUN
   * instruction and its dispatch event must each fit in one Kafka record (1 MiB by default, with
   * room for their other fields), and a record the coordinator cannot write would stop its stream
   * thread, not just this mission. Only a fan-in of many large chunk outputs comes near it.
   */
  static final int MAX_RESOLVED_BYTES = 900 * 1024;
  /**
   * The escape {@code $${} (no group), or a reference. Group 1: a mission param; groups 2 and 3: a
   * stage and its output (all after ".outputs."); group 4: {@code items} or {@code index} of the
   * chunk being resolved. Found left to right, an escape takes its {@code ${} from any reference.
   */
  private static final Pattern REFERENCE = Pattern.compile(
      "\\$\\$\\{|\\$\\{(?:params\\.([A-Za-z0-9_.-]+)|stages\\.([^}]+?)\\.outputs\\.([^}]+)|chunk\\.(items|index))}");
  private static final String ESCAPE = "$${";

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

  /**
   * The stage's params with every reference filled in: {@code ${params.NAME}} from the mission's
   * inputs and {@code ${stages.STAGE.outputs.NAME}} from the outputs of the named upstream stage,
   * which only then is read from the mission (a stored mission loads just that stage). A value that
   * is exactly one reference takes the referenced JSON value, type and all; a reference inside a
   * longer string is replaced by the value's text.
   *
   * @return the resolved params, or why they cannot be resolved: an output that is missing or not
   *     JSON text
   */
  static Result resolveStageParams(Map<String, String> stageParams, MissionView mission) {
    return resolveStageParams(stageParams, mission, null);
  }

  /**
   * As {@link #resolveStageParams(Map, MissionView)}, for stage instance {@code stage}: in a chunk
   * ({@code score[17]}), {@code ${chunk.items}} is its items and {@code ${chunk.index}} its index.
   * A foreach stage's output, {@code ${stages.score.outputs.NAME}}, is the list of its chunks'
   * outputs NAME in chunk order (null for a chunk that failed or was skipped).
   */
  static Result resolveStageParams(Map<String, String> stageParams, MissionView mission, String stage) {
    if (stageParams.isEmpty()) {
      return new Result(Map.of(), null);
    }
    Map<String, String> resolved = new LinkedHashMap<>();
    // In name order, so the first missing output reported is the same on every run.
    for (Map.Entry<String, String> param : new TreeMap<>(stageParams).entrySet()) {
      String json = param.getValue();
      if (!json.contains("${")) {
        resolved.put(param.getKey(), json);
        continue;
      }
      try {
        resolved.put(param.getKey(), JSON.writeValueAsString(fill(JSON.readTree(json), new Scope(mission, stage))));
      } catch (MissingValue missing) {
        return new Result(Map.of(), missing.getMessage());
      } catch (JsonProcessingException e) {
        resolved.put(param.getKey(), json);
      }
    }
    long size = bytes(resolved);
    if (size > MAX_RESOLVED_BYTES) {
      return new Result(Map.of(), "Expected the params of stage '" + (stage == null ? "?" : stage)
          + "' to take at most " + MAX_RESOLVED_BYTES + " bytes once resolved (an instruction must fit in one Kafka"
          + " record), but they take " + size + " bytes; pass large data by reference (a URI), or fan in less");
    }
    return new Result(resolved, null);
  }

  /** UTF-8 size of names and values; counted exactly only when it could exceed the limit (3 bytes per char at most). */
  private static long bytes(Map<String, String> params) {
    long chars = 0;
    for (Map.Entry<String, String> param : params.entrySet()) {
      chars += param.getKey().length() + param.getValue().length();
    }
    if (chars * 3 <= MAX_RESOLVED_BYTES) {
      return chars;
    }
    return TextLimits.utf8Length(params);
  }

  private static JsonNode fill(JsonNode node, Scope mission) throws JsonProcessingException {
    if (node.isTextual()) {
      return fillText(node.textValue(), mission);
    }
    if (node instanceof ObjectNode object) {
      Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        field.setValue(fill(field.getValue(), mission));
      }
    } else if (node instanceof ArrayNode array) {
      for (int i = 0; i < array.size(); i++) {
        array.set(i, fill(array.get(i), mission));
      }
    }
    return node;
  }

  /** One pass over the text: a value filled in is never scanned again for references. */
  private static JsonNode fillText(String text, Scope mission) throws JsonProcessingException {
    Matcher whole = REFERENCE.matcher(text);
    if (whole.matches() && !isEscape(whole)) {
      String value = valueOf(whole, mission);
      if (value != null) {
        return JSON.readTree(value);
      }
    }
    Matcher matcher = REFERENCE.matcher(text);
    StringBuilder out = new StringBuilder();
    while (matcher.find()) {
      matcher.appendReplacement(out, Matcher.quoteReplacement(replacement(matcher, mission)));
    }
    matcher.appendTail(out);
    return TextNode.valueOf(out.toString());
  }

  /** What a match in longer text becomes: the escape a literal ${, a reference its value's text (or itself, if none). */
  private static String replacement(Matcher match, Scope scope) throws JsonProcessingException {
    if (isEscape(match)) {
      return "${";
    }
    String value = valueOf(match, scope);
    return value == null ? match.group() : asText(JSON.readTree(value));
  }

  private static boolean isEscape(Matcher match) {
    return match.group().equals(ESCAPE);
  }

  /** The JSON text a reference stands for; null for an undeclared param, which stays as written. */
  private static String valueOf(Matcher reference, Scope scope) {
    MissionView mission = scope.mission();
    if (reference.group(1) != null) {
      return mission.params().get(reference.group(1));
    }
    if (reference.group(4) != null) {
      return chunkValue(scope, reference.group(4));
    }
    StageView stage = mission.stage(reference.group(2)).orElse(null);
    if (stage != null && stage.fanOut().isPresent() && stage.hasResult()) {
      return chunkOutputs(mission, stage, reference.group(3));
    }
    return output(mission, reference.group(2), reference.group(3));
  }

  /** What a stage param is resolved for: the mission, and the stage instance (null if unknown). */
  private record Scope(MissionView mission, String stage) {}

  /** {@code ${chunk.items}} or {@code ${chunk.index}}; null (left as written) outside a chunk. */
  private static String chunkValue(Scope scope, String what) {
    if (scope.stage() == null || !StageInstance.isChunk(scope.stage())) {
      return null;
    }
    if (what.equals("index")) {
      return Integer.toString(StageInstance.index(scope.stage()));
    }
    return scope.mission().stage(scope.stage()).flatMap(StageView::items).orElse(null);
  }

  /**
   * What {@code ${stages.STAGE.outputs.OUTPUT}} of a fanned-out stage with its result stands for,
   * wherever it is read (a param, a foreach): every chunk's output in one JSON array.
   *
   * @throws IllegalArgumentException saying which chunk's output cannot be had
   */
  static String fannedOutOutput(MissionView mission, StageView stage, String output) {
    try {
      return chunkOutputs(mission, stage, output);
    } catch (MissingValue missing) {
      throw new IllegalArgumentException(missing.getMessage());
    }
  }

  /**
   * The outputs {@code output} of every chunk of a fanned-out stage, as one JSON array in chunk
   * order: read once, at the dispatch of a downstream stage that names it.
   */
  private static String chunkOutputs(MissionView mission, StageView stage, String output) {
    int count = stage.fanOut().orElseThrow().chunkCount();
    StringBuilder list = new StringBuilder(count * 8).append('[');
    for (int index = 0; index < count; index++) {
      String chunkName = StageInstance.chunk(stage.name(), index);
      StageView chunk = mission.stage(chunkName).orElseThrow(
          () -> new MissingValue("Expected chunk '" + chunkName + "' of stage '" + stage.name() + "', but it is missing"));
      if (index > 0) {
        list.append(',');
      }
      list.append(chunk.hasResult() ? output(mission, chunkName, output) : "null");
      if (list.length() > MAX_RESOLVED_BYTES) {
        // A char is at least a byte: stop before 10,000 chunks of 64 kB build a string the heap cannot hold.
        throw new MissingValue("Expected the fan-in of output '" + output + "' of stage '" + stage.name()
            + "' to take at most " + MAX_RESOLVED_BYTES + " bytes (an instruction must fit in one Kafka record), but its"
            + " first " + (index + 1) + " of " + count + " chunks take " + list.length() + "; pass large data by"
            + " reference (a URI), or fan in less");
      }
    }
    return list.append(']').toString();
  }

  private static String output(MissionView mission, String stageName, String output) {
    String expected = "Expected output '" + output + "' of stage '" + stageName + "', but ";
    StageView stage = mission.stage(stageName)
        .orElseThrow(() -> new MissingValue(expected + "the mission has no stage '" + stageName + "'"));
    if (!stage.hasResult()) {
      throw new MissingValue(expected + "stage '" + stageName + "' is " + stage.status() + " and has no outputs");
    }
    String value = stage.outputs().get(output);
    if (value == null) {
      throw new MissingValue(expected + "stage '" + stageName + "' finished without it ("
          + (stage.outputs().isEmpty() ? "it has no outputs" : "outputs: " + String.join(", ", sorted(stage.outputs())))
          + ")");
    }
    if (!isJson(value)) {
      throw new MissingValue("Expected output '" + output + "' of stage '" + stageName + "' to be JSON text, but got: "
          + abbreviate(value));
    }
    return value;
  }

  private static List<String> sorted(Map<String, String> outputs) {
    return outputs.keySet().stream().sorted().toList();
  }

  private static String abbreviate(String value) {
    return value.length() <= 80 ? value : value.substring(0, 77) + "...";
  }

  private static String asText(JsonNode value) {
    return value.isTextual() ? value.textValue() : value.toString();
  }

  /** Exactly one JSON value: reading {@code 2 cats} would give 2 and drop the rest. */
  private static boolean isJson(String text) {
    return JsonText.problem(text).isEmpty();
  }

  /** A referenced output that cannot be had; ends the resolution of one stage's params. */
  private static final class MissingValue extends RuntimeException {
    MissingValue(String message) {
      super(message, null, false, false);
    }
  }

  /** Resolved inputs, or why there are none. */
  record Result(Map<String, String> params, String problem) {
    boolean ok() {
      return problem == null;
    }
  }
}
