package io.groundcontrol.mission;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.groundcontrol.plan.ExactJson;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * The key under which the results index keeps a stage's result: a hash of the component and the
 * resolved params in a canonical form (keys sorted at every level, no spacing, numbers as {@link
 * ExactJson#forHashing} writes them), so two stages that would do the same work, in any plan or
 * mission, share a key, and two that differ in a digit a double would drop do not.
 */
public final class ResultKeys {
  /** Changes if the canonical form ever changes, so results of different forms never mix. */
  private static final String FORM = "result-v1\n";
  private static final ObjectMapper JSON = ExactJson.mapper();

  private ResultKeys() {}

  /** The key of a run of {@code component} with {@code resolvedParams} (values JSON text). */
  public static String of(String component, Map<String, String> resolvedParams) {
    ObjectNode values = JSON.createObjectNode();
    new TreeMap<>(resolvedParams).forEach((name, json) -> values.set(name, ExactJson.sortedKeys(ExactJson.forHashing(parse(json)))));
    try {
      String canonical = FORM + component + "\n" + JSON.writeValueAsString(values);
      return HexFormat.of().formatHex(sha256(canonical.getBytes(StandardCharsets.UTF_8)));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Expected parsed JSON to serialize again, but it did not", e);
    }
  }

  /** Parsed so that key order and spacing do not count; text that is not JSON stays text. */
  private static JsonNode parse(String json) {
    try {
      JsonNode value = JSON.readTree(json);
      return value.isMissingNode() ? TextNode.valueOf(json) : value;
    } catch (JsonProcessingException e) {
      return TextNode.valueOf(json);
    }
  }

  private static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("Expected every Java runtime to provide SHA-256, but this one does not", e);
    }
  }
}
