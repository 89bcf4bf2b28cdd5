package io.groundcontrol.worker.api;

import io.groundcontrol.schema.wire.JsonText;
import io.groundcontrol.worker.internal.JsonStrings;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The successful outcome of a stage attempt: the outputs it hands to later stages. Every output
 * value is JSON text, like params: a string output {@code daily} is written {@code "daily"} with the
 * quotes, which {@link #stringOutput} does for you.
 *
 * <pre>{@code
 * return StageResult.finished()
 *     .output("rows", "1042")
 *     .stringOutput("table", "sales_2024");
 * }</pre>
 *
 * <p>Instances are immutable; {@link #output} and {@link #stringOutput} return a new result.
 */
public final class StageResult {
  private static final StageResult EMPTY = new StageResult(Map.of());

  private final Map<String, String> outputs;

  private StageResult(Map<String, String> outputs) {
    this.outputs = outputs;
  }

  /** A finished attempt without outputs. */
  public static StageResult finished() {
    return EMPTY;
  }

  /**
   * A finished attempt with outputs.
   *
   * @param outputsAsJsonText output values by name, each JSON text; copied
   * @throws NullPointerException if the map, a name or a value is null
   */
  public static StageResult finished(Map<String, String> outputsAsJsonText) {
    Objects.requireNonNull(outputsAsJsonText, "outputsAsJsonText");
    StageResult result = EMPTY;
    for (Map.Entry<String, String> output : outputsAsJsonText.entrySet()) {
      result = result.output(output.getKey(), output.getValue());
    }
    return result;
  }

  /**
   * This result with one more output, replacing an output of the same name.
   *
   * @param name the output name
   * @param jsonText the value as JSON text, e.g. {@code 42}, {@code "abc"} or {@code {"a":1}}
   * @throws NullPointerException if the name or the value is null
   * @throws NonRetryableStageException if the value is not one JSON value (a plain word such as
   *     {@code daily} is not: use {@link #stringOutput}); thrown in a handler, it fails the attempt
   *     without retry, with the reason in the worker's log and the mission's
   */
  public StageResult output(String name, String jsonText) {
    Objects.requireNonNull(name, "Expected an output name, but it is null");
    if (jsonText == null) {
      throw new NullPointerException(
          "Expected output '" + name + "' as JSON text, but it is null; use \"null\" for a JSON null");
    }
    JsonText.problem(jsonText).ifPresent(problem -> {
      throw new NonRetryableStageException("Expected output '" + name + "' to be JSON text, but "
          + JsonText.excerpt(jsonText) + " is not: " + problem + " (for a string use stringOutput)");
    });
    Map<String, String> copy = new LinkedHashMap<>(outputs);
    copy.put(name, jsonText);
    return new StageResult(Collections.unmodifiableMap(copy));
  }

  /**
   * This result with one more output holding a JSON string: {@code stringOutput("table", "sales")}
   * stores the JSON text {@code "sales"}.
   *
   * @param name the output name
   * @param value the string, encoded as a JSON string
   * @throws NullPointerException if the name or the value is null
   */
  public StageResult stringOutput(String name, String value) {
    Objects.requireNonNull(value, () -> "Expected a string for output '" + name + "', but it is null");
    return output(name, JsonStrings.quote(value));
  }

  /** The outputs by name, each JSON text, in the order they were added. Unmodifiable. */
  public Map<String, String> outputs() {
    return outputs;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof StageResult && ((StageResult) other).outputs.equals(outputs);
  }

  @Override
  public int hashCode() {
    return outputs.hashCode();
  }

  @Override
  public String toString() {
    return "StageResult" + outputs;
  }
}
