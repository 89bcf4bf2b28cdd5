package io.groundcontrol.ui;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.groundcontrol.plan.ExactJson;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The start form of a plan, generated from the params it declares, and the reading of a submitted
 * form into the values the API takes. A field holds a JSON value ({@code 0.25}, {@code true},
 * {@code ["a","b"]}) or plain text, which is taken as a string, as {@code mission start --param}
 * does; text that starts like JSON structure ({@code { [ "}) must be valid JSON, so a typo is
 * caught at the field rather than sent as a string. An empty optional field leaves the default.
 */
final class ParamForm {
  /** Numbers exact: a default mapper would send 1732000000.123456789 as 1.7320000001234567E9. */
  private static final ObjectMapper STRICT = ExactJson.exact(new ObjectMapper())
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  /** The values for the API (JSON values by param name) or the fields with their errors. */
  record Reading(Map<String, JsonNode> params, List<ParamField> fields, boolean valid) {}

  private ParamForm() {}

  /** The fields for the params of {@code plan} (a plan in the file format, as the API shows it). */
  static List<ParamField> fields(JsonNode plan) {
    List<ParamField> fields = new ArrayList<>();
    JsonNode params = plan.path("params");
    for (Iterator<Map.Entry<String, JsonNode>> it = params.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> param = it.next();
      JsonNode spec = param.getValue();
      String description = spec.hasNonNull("description") ? spec.get("description").asText() : null;
      String shown = spec.has("default") ? display(spec.get("default")) : null;
      fields.add(new ParamField(param.getKey(), description, shown == null ? "" : shown, shown, null));
    }
    return fields;
  }

  /** Reads the submitted text of each field; a field's error says what was expected. */
  static Reading read(List<ParamField> declared, Map<String, String> submitted) {
    Map<String, JsonNode> params = new LinkedHashMap<>();
    List<ParamField> fields = new ArrayList<>();
    boolean valid = true;
    for (ParamField field : declared) {
      String typed = submitted.getOrDefault(field.name(), "");
      String error = null;
      if (typed.isBlank()) {
        if (field.required()) {
          error = "Expected a value for required param '" + field.name() + "', but the field is empty";
        }
      } else {
        try {
          params.put(field.name(), value(typed));
        } catch (JsonProcessingException e) {
          error = "Expected valid JSON for param '" + field.name() + "', since it starts with '"
              + typed.strip().charAt(0) + "', but " + e.getOriginalMessage();
        }
      }
      valid &= error == null;
      fields.add(field.withInput(typed, error));
    }
    return new Reading(params, fields, valid);
  }

  /** The JSON value of a field's text: JSON if it is, else the text as a string. */
  static JsonNode value(String typed) throws JsonProcessingException {
    String text = typed.strip();
    if (text.startsWith("{") || text.startsWith("[") || text.startsWith("\"")) {
      return STRICT.readTree(text);
    }
    try {
      return STRICT.readTree(text);
    } catch (JsonProcessingException notJson) {
      return STRICT.getNodeFactory().textNode(typed);
    }
  }

  /**
   * A value as a field shows it: a string bare when reading it back gives the same string and it
   * has no line break, which a browser drops from an input's value.
   */
  static String display(JsonNode value) {
    if (value.isTextual() && value.asText().indexOf('\n') < 0 && value.asText().indexOf('\r') < 0) {
      try {
        if (value.equals(value(value.asText()))) {
          return value.asText();
        }
      } catch (JsonProcessingException e) {
        // shown as JSON below
      }
    }
    return value.toString();
  }
}
