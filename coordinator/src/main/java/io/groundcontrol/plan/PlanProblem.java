package io.groundcontrol.plan;

import java.util.Objects;

/**
 * One thing wrong with a plan, as data: where it is, what kind of problem it is, and a message for
 * people. Problems are collected, never thrown one at a time, so a user sees every mistake in a plan
 * at once.
 *
 * <p>{@link #describe()} always has the same shape, omitting the parts that are {@code null}:
 *
 * <pre>{@code
 * <source>: stage '<stage>', field '<field>': <message>
 * plans/bad.yaml: stage 'clean', field 'upstream': unknown upstream stage 'extrakt' (known: extract, load)
 * plans/bad.yaml: field 'name': missing required field 'name'
 * plans/bad.yaml: unreadable YAML at line 4, column 7: mapping values are not allowed here
 * }</pre>
 *
 * @param source where the plan came from: a file name, {@code <stdin>}, or {@code name@version} for
 *     a plan read from Kafka
 * @param stage the stage the problem is in, by name, or {@code #n} (1-based position) for a stage
 *     without a usable name; {@code null} for the plan as a whole
 * @param field the field the problem is in, such as {@code upstream}, {@code component} or {@code
 *     params.query}; {@code null} when the problem is not about one field
 * @param reason what kind of problem this is, for code that reacts to it
 * @param message what is wrong, for people; one line
 */
public record PlanProblem(String source, String stage, String field, Reason reason, String message) {

  /** The kinds of problem a plan can have. */
  public enum Reason {
    /** The file could not be read as YAML or JSON, or holds no document. */
    UNREADABLE,
    /** The file name does not end in {@code .yaml}, {@code .yml} or {@code .json}. */
    UNSUPPORTED_FORMAT,
    /** A field the plan format does not define, usually a misspelling. */
    UNKNOWN_FIELD,
    /** A required field is absent or null. */
    MISSING_FIELD,
    /** A field holds the wrong kind of value, such as a list where a string belongs. */
    WRONG_TYPE,
    /** A plan, stage, component or param name breaks the naming rules. */
    INVALID_NAME,
    /** The plan has no stages. */
    NO_STAGES,
    /** Two or more stages share a name. */
    DUPLICATE_STAGE,
    /** Two or more mission params share a name. */
    DUPLICATE_PARAM,
    /** An upstream entry names no stage of the plan. */
    UNKNOWN_UPSTREAM,
    /** A stage lists itself as upstream. */
    SELF_DEPENDENCY,
    /** A stage lists the same upstream stage more than once. */
    DUPLICATE_UPSTREAM,
    /** Stages depend on each other in a circle, so none of them could ever start. */
    CYCLE,
    /** A {@code ${params.NAME}} reference names a param the plan does not declare. */
    UNDECLARED_PARAM,
    /** A {@code ${stages.STAGE.outputs.NAME}} reference names no stage of the plan. */
    UNKNOWN_STAGE,
    /** A {@code ${stages...}} reference names a stage that is not upstream of the stage using it. */
    NOT_UPSTREAM,
    /** A {@code ${stages...}} reference does not have the form {@code ${stages.STAGE.outputs.NAME}}. */
    MALFORMED_REFERENCE,
    /**
     * A {@code ${...}} in a stage's params of no known form, such as {@code ${param.date}} or
     * {@code ${HOME}}; {@code $${} stands for a literal {@code ${}.
     */
    UNKNOWN_REFERENCE,
    /** A param value is not valid JSON text (only possible in plans not read from a file). */
    INVALID_JSON,
    /** A retry policy or timeout out of range. */
    INVALID_POLICY,
    /**
     * A duration (timeout, backoff, max_age) longer than {@link Durations#MAX}; a plan read back
     * from Kafka may hold one ({@link PlanValidator#requireRunnable}).
     */
    DURATION_TOO_LONG,
    /**
     * A backoff shorter than zero; a plan read back from Kafka may hold one ({@link
     * PlanValidator#requireRunnable}), and its retries do not wait.
     */
    NEGATIVE_DURATION,
    /**
     * A {@code foreach} that names no array reference, a chunk setting out of range or without
     * {@code foreach}, or {@code ${chunk...}} outside a foreach stage.
     */
    INVALID_FOREACH
  }

  /** Checks that the parts every problem needs are there. */
  public PlanProblem {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(message, "message");
  }

  /**
   * The problem as one line: {@code <source>: stage '<stage>', field '<field>': <message>}, with
   * line breaks and other control characters in names and values escaped ({@link OneLine}).
   */
  public String describe() {
    StringBuilder line = new StringBuilder(source).append(": ");
    if (stage != null) {
      line.append("stage '").append(stage).append(field == null ? "': " : "', ");
    }
    if (field != null) {
      line.append("field '").append(field).append("': ");
    }
    return OneLine.escape(line.append(message).toString());
  }

  /** Same as {@link #describe()}. */
  @Override
  public String toString() {
    return describe();
  }
}
