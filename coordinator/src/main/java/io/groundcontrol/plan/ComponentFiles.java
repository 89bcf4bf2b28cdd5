package io.groundcontrol.plan;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.groundcontrol.schema.ComponentSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads component settings files, kept in version control beside the plans:
 *
 * <pre>{@code
 * bigquery:
 *   max_running: 15          # at most 15 attempts at once, over all missions; absent: no cap
 *   weights:                 # fair shares between plans queued for it; plans not named weigh 1
 *     nightly-scoring: 3
 * spark: {}                  # listed without max_running: no cap (dispatched directly)
 * }</pre>
 *
 * <p>Reading reports every problem at once, each as one line naming the file, the component and
 * the field: {@code components.yaml: component 'bigquery', field 'max_running': expected a whole
 * number of at least 0, but got "fifteen"}.
 */
public final class ComponentFiles {
  /**
   * The largest plan weight: fair shares are kept as passes that move on by a fixed stride over
   * the weight, and far beyond this ratio between two plans a share means nothing.
   */
  public static final int MAX_WEIGHT = 10_000;

  private static final Set<String> FIELDS = Set.of("max_running", "weights");

  private ComponentFiles() {}

  /** Thrown with every problem of a settings file, one line each. */
  public static final class InvalidComponentsException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient List<String> problems;

    /** {@code problems}, one line each once names and values in them are escaped ({@link OneLine}). */
    InvalidComponentsException(List<String> problems) {
      super("Expected valid component settings, but found " + problems.size() + " problem"
          + (problems.size() == 1 ? "" : "s") + ":\n  " + String.join("\n  ", OneLine.escapeEach(problems)));
      this.problems = OneLine.escapeEach(problems);
    }

    /** Every problem, one line each, in file order. */
    public List<String> problems() {
      return problems;
    }
  }

  /**
   * Reads and checks the settings in {@code file} (YAML or JSON).
   *
   * @throws InvalidComponentsException listing every problem
   * @throws IOException if the file cannot be read
   */
  public static List<ComponentSettings> load(Path file) throws IOException {
    return parse(Files.readString(file), file.toString());
  }

  /**
   * Reads and checks settings from text.
   *
   * @param source how problems name the source
   * @throws InvalidComponentsException listing every problem
   */
  public static List<ComponentSettings> parse(String content, String source) {
    List<String> problems = new ArrayList<>();
    JsonNode tree;
    try {
      tree = PlanJson.YAML.readTree(content);
    } catch (JsonProcessingException e) {
      throw new InvalidComponentsException(List.of(source + ": " + ParseErrors.message("YAML", e)));
    }
    if (tree == null || tree.isMissingNode() || tree.isNull() || !tree.isObject()) {
      throw new InvalidComponentsException(List.of(source
          + ": expected a mapping from component names to their settings, such as 'bigquery: {max_running: 15}'"));
    }
    List<ComponentSettings> settings = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = tree.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      readComponent(entry.getKey(), entry.getValue(), source, problems).ifPresent(settings::add);
    }
    if (!problems.isEmpty()) {
      throw new InvalidComponentsException(problems);
    }
    return settings;
  }

  private static Optional<ComponentSettings> readComponent(
      String name, JsonNode node, String source, List<String> problems) {
    int before = problems.size();
    String where = source + ": component '" + name + "'";
    if (!NameRule.COMPONENT.accepts(name)) {
      problems.add(where + ": " + NameRule.COMPONENT.complaint("component name", name));
    }
    if (node == null || node.isNull() || (node.isTextual() && node.textValue().isEmpty())) {
      node = PlanJson.YAML.createObjectNode();
    }
    if (!node.isObject()) {
      problems.add(where + ": expected a mapping of settings (max_running, weights), but got " + describe(node));
      return Optional.empty();
    }
    for (Iterator<String> fields = node.fieldNames(); fields.hasNext(); ) {
      String field = fields.next();
      if (!FIELDS.contains(field)) {
        problems.add(where + ", field '" + field + "': unknown field" + ClosestMatch.didYouMean(field, FIELDS)
            + " (known: max_running, weights)");
      }
    }
    Integer maxRunning = null;
    JsonNode max = node.get("max_running");
    if (max != null && !max.isNull()) {
      if (max.canConvertToInt() && max.isIntegralNumber() && max.intValue() >= 0) {
        maxRunning = max.intValue();
      } else {
        problems.add(where + ", field 'max_running': expected a whole number of at least 0, but got " + describe(max));
      }
    }
    Map<String, Integer> weights = new HashMap<>();
    JsonNode weightNode = node.get("weights");
    if (weightNode != null && !weightNode.isNull()) {
      if (!weightNode.isObject()) {
        problems.add(where + ", field 'weights': expected a mapping from plan names to weights, but got "
            + describe(weightNode));
      } else {
        for (Iterator<Map.Entry<String, JsonNode>> it = weightNode.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> weight = it.next();
          String field = where + ", field 'weights." + weight.getKey() + "': ";
          if (!NameRule.PLAN_OR_STAGE.accepts(weight.getKey())) {
            problems.add(field + NameRule.PLAN_OR_STAGE.complaint("plan name", weight.getKey()));
          } else if (weight.getValue().isIntegralNumber() && weight.getValue().canConvertToInt()
              && weight.getValue().intValue() >= 1 && weight.getValue().intValue() <= MAX_WEIGHT) {
            weights.put(weight.getKey(), weight.getValue().intValue());
          } else {
            problems.add(field + "expected a whole number from 1 to " + MAX_WEIGHT + ", but got "
                + describe(weight.getValue()));
          }
        }
      }
    }
    if (problems.size() > before) {
      return Optional.empty();
    }
    return Optional.of(new ComponentSettings(name, maxRunning, weights));
  }

  private static String describe(JsonNode node) {
    if (node.isTextual()) {
      return "\"" + node.textValue() + "\"";
    }
    if (node.isArray()) {
      return "a list";
    }
    if (node.isObject()) {
      return "a mapping";
    }
    return node.toString();
  }
}
