package io.groundcontrol.trigger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ${event.FIELD}} references in a trigger's params and key: a dotted path into the event's
 * JSON. In params they count at any depth, inside objects and lists too. A value that is exactly one reference takes the field's JSON value (a number stays a
 * number); references inside longer text are replaced by the field's text: a string without its
 * quotes, anything else (an object, a list) as JSON text, as in a plan's params.
 */
public final class Templates {
  private static final Pattern REFERENCE = Pattern.compile("\\$\\{([^}]*)}");
  private static final Pattern EVENT_PATH = Pattern.compile("event(\\.[A-Za-z0-9_-]+)+");

  private Templates() {}

  /** What is wrong with the references in {@code template}; empty if nothing. */
  public static List<String> problems(String template) {
    List<String> problems = new ArrayList<>();
    Matcher m = REFERENCE.matcher(template);
    while (m.find()) {
      if (!EVENT_PATH.matcher(m.group(1)).matches()) {
        problems.add("unknown reference '${" + m.group(1) + "}'; expected ${event.FIELD} or ${event.FIELD.SUBFIELD}");
      }
    }
    return problems;
  }

  /** The field of {@code event} at a dotted path such as {@code export.id}, if present and not null. */
  public static Optional<JsonNode> field(JsonNode event, String path) {
    JsonNode node = event;
    for (String part : path.split("\\.")) {
      node = node == null ? null : node.get(part);
    }
    return node == null || node.isNull() || node.isMissingNode() ? Optional.empty() : Optional.of(node);
  }

  /**
   * Renders {@code template} (a key) against {@code event}: every reference replaced by its field's text.
   *
   * @throws MalformedEventException naming the first field the event lacks
   */
  static String render(String template, JsonNode event) {
    Matcher m = REFERENCE.matcher(template);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String replacement = isEventPath(m.group(1)) ? text(required(event, m.group(1))) : m.group();
      m.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(out);
    return out.toString();
  }

  /**
   * Fills {@code written} (a param's value, changed in place) from {@code event}: every string
   * holding references, at any depth, is rendered.
   *
   * @return the filled value; {@code written} itself unless it is a string
   * @throws MalformedEventException naming the first field the event lacks
   */
  static JsonNode fill(JsonNode written, JsonNode event) {
    if (written.isTextual()) {
      Matcher whole = REFERENCE.matcher(written.textValue());
      if (whole.matches() && isEventPath(whole.group(1))) {
        return required(event, whole.group(1));
      }
      return hasReference(written.textValue()) ? TextNode.valueOf(render(written.textValue(), event)) : written;
    }
    if (written instanceof ObjectNode object) {
      object.properties().forEach(field -> field.setValue(fill(field.getValue(), event)));
    } else if (written instanceof ArrayNode array) {
      for (int i = 0; i < array.size(); i++) {
        array.set(i, fill(array.get(i), event));
      }
    }
    return written;
  }

  /**
   * Whether a reference names an event field. Any other ({@code ${HOME}}) stays as written: the
   * schedules file refuses them, but a trigger stored before nested params were checked may hold one.
   */
  private static boolean isEventPath(String reference) {
    return EVENT_PATH.matcher(reference).matches();
  }

  /** Whether {@code text} holds any reference. */
  static boolean hasReference(String text) {
    return REFERENCE.matcher(text).find();
  }

  /** A field as text: asText() would make every object and list "", so distinct events one key. */
  private static String text(JsonNode value) {
    return value.isTextual() ? value.textValue() : value.toString();
  }

  private static JsonNode required(JsonNode event, String reference) {
    String path = reference.substring("event.".length());
    return field(event, path).orElseThrow(() -> new MalformedEventException(
        "Expected field '" + path + "' in the event, but it is missing or null"));
  }
}
