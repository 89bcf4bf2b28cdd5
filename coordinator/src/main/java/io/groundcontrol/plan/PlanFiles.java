package io.groundcontrol.plan;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.groundcontrol.plan.PlanProblem.Reason;
import io.groundcontrol.schema.Plan;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads plan files into validated {@link Plan}s, and writes plans back out as YAML or JSON.
 *
 * <p>A plan file is YAML or JSON:
 *
 * <pre>{@code
 * name: nightly-scoring              # required; [a-z0-9][a-z0-9._-]*, at most 100 characters
 * description: Score customers       # optional
 * params:                            # mission inputs; without a default, a param is required
 *   date: { description: "Run date", default: "2026-01-01" }
 * stages:
 *   - name: extract                  # required, unique in the plan
 *     component: warehouse           # required; the workers that run the stage
 *     upstream: []                   # stages that must finish first
 *     params:                        # any YAML/JSON values; strings may use ${params.NAME} ($${ is a literal ${)
 *       query: "select * from t where d = '${params.date}'"
 * }</pre>
 *
 * <p>Reading reports every problem at once, as {@link PlanProblem}s in an {@link
 * InvalidPlanException}: syntax errors with their line and column, unknown fields (with a guess at
 * what was meant), values of the wrong type, and everything {@link PlanValidator} checks. A plan
 * that reads without problems has its {@link PlanVersion} set.
 *
 * <p>Stage param values become JSON text, as on the wire: the string {@code abc} becomes {@code
 * "abc"} (with the quotes), the number {@code 1000} becomes {@code 1000}. A param's {@code default:
 * null} is a default of JSON {@code null}, which makes the param optional; leaving {@code default}
 * out makes it required.
 */
public final class PlanFiles {

  /** The two file formats. JSON is also valid YAML, but its own parser gives clearer errors. */
  public enum Format {
    YAML,
    JSON;

    /** The format a file name's extension ({@code .yaml}, {@code .yml}, {@code .json}) stands for. */
    public static Optional<Format> forFileName(String fileName) {
      String lowerCase = fileName.toLowerCase(Locale.ROOT);
      if (lowerCase.endsWith(".yaml") || lowerCase.endsWith(".yml")) {
        return Optional.of(YAML);
      }
      return lowerCase.endsWith(".json") ? Optional.of(JSON) : Optional.empty();
    }

    private ObjectMapper mapper() {
      return this == YAML ? PlanJson.YAML : PlanJson.JSON;
    }
  }

  private static final String BYTE_ORDER_MARK = "\uFEFF";

  private PlanFiles() {}

  /**
   * Reads and validates the plan in {@code file}, choosing the format by its extension. Problems
   * name the file as given.
   *
   * @throws InvalidPlanException listing every problem, if the plan is not valid or the extension
   *     is not one of {@code .yaml}, {@code .yml}, {@code .json}
   * @throws IOException if the file cannot be read at all
   */
  public static Plan load(Path file) throws IOException {
    String source = file.toString();
    Optional<Format> format = Format.forFileName(String.valueOf(file.getFileName()));
    if (format.isEmpty()) {
      throw new InvalidPlanException(
          List.of(new PlanProblem(source, null, null, Reason.UNSUPPORTED_FORMAT,
              "unsupported file extension; expected .yaml, .yml or .json")));
    }
    return parse(Files.readString(file), source, format.get());
  }

  /**
   * Reads and validates a plan from text, such as standard input or a test's fixture.
   *
   * @param sourceName how problems name the source, such as {@code <stdin>}
   * @throws InvalidPlanException listing every problem, if the plan is not valid
   */
  public static Plan parse(String content, String sourceName, Format format) {
    Objects.requireNonNull(content, "content");
    Objects.requireNonNull(format, "format");
    Problems problems = new Problems(Objects.requireNonNull(sourceName, "sourceName"));
    JsonNode tree = readTree(content, format, problems);
    if (tree == null) {
      throw new InvalidPlanException(problems.list());
    }
    PlanTreeReader reader = new PlanTreeReader(problems);
    Plan plan = reader.read(tree);
    List<PlanProblem> all = new ArrayList<>(problems.list());
    PlanValidator.validate(plan, sourceName).stream()
        .filter(problem -> !reader.alreadyReported(problem))
        .forEach(all::add);
    if (!all.isEmpty()) {
      throw new InvalidPlanException(Problems.inPlanOrder(all, plan));
    }
    plan.setVersion(PlanVersion.of(plan));
    return plan;
  }

  /**
   * The plan in the YAML file format, readable by {@link #parse}. The version is not part of the
   * format; it is given in a leading comment.
   */
  public static String toYaml(Plan plan) {
    String versionComment = plan.getVersion() == null ? "" : "# version: " + plan.getVersion() + "\n";
    return versionComment + write(PlanJson.YAML, plan);
  }

  /** The plan in the JSON file format, pretty-printed, readable by {@link #parse}; without version. */
  public static String toJson(Plan plan) {
    return write(PlanJson.PRETTY_JSON, plan) + "\n";
  }

  private static String write(ObjectMapper mapper, Plan plan) {
    try {
      return mapper.writeValueAsString(PlanWriter.toTree(plan));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException("Expected a plan tree to always serialize, but it did not", e);
    }
  }

  /**
   * The document's tree, or null after reporting why there is none. A leading byte-order mark (as
   * Notepad saves) is skipped: the YAML parser skips it, the JSON parser would refuse it.
   */
  private static JsonNode readTree(String content, Format format, Problems problems) {
    try {
      JsonNode tree = format.mapper().readTree(content.startsWith(BYTE_ORDER_MARK) ? content.substring(1) : content);
      if (tree == null || tree.isMissingNode() || tree.isNull()) {
        problems.add(null, null, Reason.UNREADABLE, "no plan found: the document is empty");
        return null;
      }
      return tree;
    } catch (JsonProcessingException e) {
      problems.add(null, null, Reason.UNREADABLE, ParseErrors.message(format.name(), e));
      return null;
    }
  }
}
