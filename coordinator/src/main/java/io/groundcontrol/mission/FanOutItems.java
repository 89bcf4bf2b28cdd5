package io.groundcontrol.mission;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.groundcontrol.plan.ExactJson;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The items a foreach stage fans out over: the JSON array its {@code foreach} reference names (a
 * mission param or an upstream stage's output; a fanned-out stage's is its chunks' outputs in
 * chunk order, as in a param), read from the mission, and cut into chunks.
 */
final class FanOutItems {
  private static final ObjectMapper JSON = ExactJson.mapper();
  /** Group 1: a mission param; groups 2 and 3: a stage and its output. */
  private static final Pattern SOURCE =
      Pattern.compile("\\$\\{(?:params\\.([A-Za-z0-9_.-]+)|stages\\.([^}]+?)\\.outputs\\.([^}]+))}");

  private FanOutItems() {}

  /** The array's items, or why there are none. */
  record Items(ArrayNode array, String problem) {
    boolean ok() {
      return problem == null;
    }

    int size() {
      return array.size();
    }
  }

  /** The items {@code source} names in {@code mission}, or the reason it names no JSON array. */
  static Items read(MissionView mission, String stage, String source) {
    String expected = "Expected foreach of stage '" + stage + "' (" + source + ") to be a JSON array, but ";
    Matcher matcher = SOURCE.matcher(source.trim());
    if (!matcher.matches()) {
      return new Items(null, expected + "it is no ${params.NAME} or ${stages.STAGE.outputs.NAME} reference");
    }
    String text;
    if (matcher.group(1) != null) {
      text = mission.params().get(matcher.group(1));
      if (text == null) {
        return new Items(null, expected + "the mission has no param '" + matcher.group(1) + "'");
      }
    } else {
      StageView upstream = mission.stage(matcher.group(2)).orElse(null);
      if (upstream == null || !upstream.hasResult()) {
        return new Items(null, expected + "stage '" + matcher.group(2) + "' has no outputs"
            + (upstream == null ? "" : " (it is " + upstream.status() + ")"));
      }
      if (upstream.fanOut().isPresent()) {
        try {
          text = ParamResolver.fannedOutOutput(mission, upstream, matcher.group(3));
        } catch (IllegalArgumentException missing) {
          return new Items(null, expected + missing.getMessage());
        }
      } else {
        text = upstream.outputs().get(matcher.group(3));
      }
      if (text == null) {
        return new Items(null, expected + "stage '" + matcher.group(2) + "' finished without output '"
            + matcher.group(3) + "'");
      }
    }
    try {
      JsonNode node = JSON.readTree(text);
      if (node instanceof ArrayNode array) {
        return new Items(array, null);
      }
      return new Items(null, expected + "it is " + kind(node));
    } catch (JsonProcessingException e) {
      return new Items(null, expected + "it is not JSON text");
    }
  }

  /** How many chunks of {@code chunkSize} items {@code itemCount} items make. */
  static int chunkCount(int itemCount, int chunkSize) {
    return (int) ((itemCount + (long) chunkSize - 1) / chunkSize);
  }

  /** The chunks' items as JSON arrays, in chunk order: O(items), once per fan-out. */
  static List<String> slices(ArrayNode array, int chunkSize) {
    List<String> slices = new ArrayList<>(chunkCount(array.size(), chunkSize));
    for (int from = 0; from < array.size(); from += chunkSize) {
      ArrayNode slice = JSON.createArrayNode();
      for (int i = from; i < Math.min(array.size(), from + chunkSize); i++) {
        slice.add(array.get(i));
      }
      slices.add(slice.toString());
    }
    return slices;
  }

  private static String kind(JsonNode node) {
    if (node.isTextual()) {
      return "a string";
    } else if (node.isNumber()) {
      return "a number (" + node + ")";
    } else if (node.isObject()) {
      return "an object";
    } else if (node.isBoolean()) {
      return "a boolean";
    }
    return "null";
  }
}
