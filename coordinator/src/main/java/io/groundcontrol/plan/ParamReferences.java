package io.groundcontrol.plan;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Finds the {@code ${params.NAME}} references to mission params in a stage's param values. */
final class ParamReferences {
  /**
   * Group 1 is the param name, taken as written so that a malformed name is reported, not missed.
   * A {@code ${} right after a {@code $} is the escape {@code $${}, a literal {@code ${}.
   */
  static final Pattern REFERENCE = Pattern.compile("(?<!\\$)\\$\\{params\\.([^}]*)}");

  private ParamReferences() {}

  /** The names referenced in the strings anywhere inside {@code value}, each once, in order. */
  static Set<String> in(JsonNode value) {
    Set<String> names = new LinkedHashSet<>();
    collect(value, names);
    return names;
  }

  private static void collect(JsonNode value, Set<String> names) {
    if (value.isTextual()) {
      Matcher reference = REFERENCE.matcher(value.textValue());
      while (reference.find()) {
        names.add(reference.group(1));
      }
    } else if (value.isContainerNode()) {
      value.elements().forEachRemaining(element -> collect(element, names));
    }
  }
}
