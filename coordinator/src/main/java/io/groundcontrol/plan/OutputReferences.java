package io.groundcontrol.plan;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the {@code ${stages.STAGE.outputs.NAME}} references to upstream outputs in a stage's param
 * values. Everything after {@code .outputs.} is the output name, so stage names with dots work.
 */
final class OutputReferences {
  /** Group 1 is the whole path after {@code stages.}, taken as written so a malformed one is reported. */
  private static final Pattern REFERENCE = Pattern.compile("(?<!\\$)\\$\\{stages\\.([^}]*)}");
  private static final Pattern PATH = Pattern.compile("(.+?)\\.outputs\\.(.+)");

  /**
   * One reference as written.
   *
   * @param text the reference with its {@code ${...}}
   * @param stage the stage named, or null if the reference is malformed
   * @param output the output named, or null if the reference is malformed
   */
  record Reference(String text, String stage, String output) {
    boolean wellFormed() {
      return stage != null;
    }
  }

  private OutputReferences() {}

  /** The references in the strings anywhere inside {@code value}, in order, repeats included. */
  static List<Reference> in(JsonNode value) {
    List<Reference> found = new ArrayList<>();
    collect(value, found);
    return found;
  }

  private static void collect(JsonNode value, List<Reference> found) {
    if (value.isTextual()) {
      Matcher reference = REFERENCE.matcher(value.textValue());
      while (reference.find()) {
        Matcher path = PATH.matcher(reference.group(1));
        found.add(path.matches()
            ? new Reference(reference.group(), path.group(1), path.group(2))
            : new Reference(reference.group(), null, null));
      }
    } else if (value.isContainerNode()) {
      value.elements().forEachRemaining(element -> collect(element, found));
    }
  }
}
