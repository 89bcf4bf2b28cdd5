package io.groundcontrol.plan;

import com.fasterxml.jackson.databind.JsonNode;
import io.groundcontrol.plan.PlanProblem.Reason;
import io.groundcontrol.schema.ForeachPolicy;
import io.groundcontrol.schema.RetryPolicy;
import io.groundcontrol.schema.ReusePolicy;
import io.groundcontrol.schema.StageDefaults;
import java.util.List;

/**
 * Reads the policies of a plan file: {@code retry} (a number of attempts, or a mapping),
 * {@code timeout} and {@code start_timeout} (durations) on a stage or under {@code defaults}, and a
 * stage's {@code reuse}.
 *
 * <pre>
 * retry: 3                       # 3 attempts in all, default backoff
 * retry: { attempts: 5, backoff: 2s, multiplier: 2, max_backoff: 1m, jitter: 0.2 }
 * timeout: 30m                   # also 500ms, 10s, 2h, 1d or ISO-8601 PT30M; counts from the start
 * start_timeout: 5m              # longest wait, from dispatch, for a worker to start it
 * reuse: { max_age: 60m }        # reuse a result of the same component and params up to 60 min old
 * foreach: "${params.ids}"       # run in chunks over a JSON array (or ${stages.list.outputs.ids})
 * chunk_size: 100                # items per chunk (default 1)
 * max_parallel: 20               # chunks out at once (default 10)
 * tolerate_failed: 2%            # or a count: chunks that may fail without failing the stage
 * </pre>
 */
final class PolicyReader {
  static final List<String> RETRY_FIELDS = List.of("attempts", "backoff", "multiplier", "max_backoff", "jitter");
  static final List<String> DEFAULTS_FIELDS = List.of("retry", "timeout", "start_timeout");
  static final List<String> REUSE_FIELDS = List.of("max_age");

  private final Problems problems;

  PolicyReader(Problems problems) {
    this.problems = problems;
  }

  /** The plan's {@code defaults}, or null if absent or unusable. */
  StageDefaults defaults(JsonNode node) {
    if (isAbsent(node)) {
      return null;
    }
    if (!node.isObject()) {
      problems.add(null, "defaults", Reason.WRONG_TYPE, "expected a mapping with 'retry', 'timeout' and/or 'start_timeout'");
      return null;
    }
    node.fieldNames().forEachRemaining(name -> {
      if (!DEFAULTS_FIELDS.contains(name)) {
        problems.add(null, "defaults", Reason.UNKNOWN_FIELD,
            "unknown field '" + name + "'" + ClosestMatch.didYouMean(name, DEFAULTS_FIELDS));
      }
    });
    return new StageDefaults(retry(node.get("retry"), null, "defaults.retry"),
        timeout(node.get("timeout"), null, "defaults.timeout"),
        timeout(node.get("start_timeout"), null, "defaults.start_timeout"));
  }

  /** A retry policy, or null if absent or unusable. */
  RetryPolicy retry(JsonNode node, String stage, String field) {
    if (isAbsent(node)) {
      return null;
    }
    RetryPolicy policy = RetryPolicy.newBuilder().build();
    if (node.isIntegralNumber()) {
      policy.setMaxAttempts(attempts(node, stage, field));
    } else if (node.isObject()) {
      node.fieldNames().forEachRemaining(name -> {
        if (!RETRY_FIELDS.contains(name)) {
          problems.add(stage, field, Reason.UNKNOWN_FIELD,
              "unknown field '" + name + "'" + ClosestMatch.didYouMean(name, RETRY_FIELDS));
        }
      });
      if (node.has("attempts")) {
        policy.setMaxAttempts(attempts(node.get("attempts"), stage, field));
      }
      Long backoff = duration(node.get("backoff"), stage, field + ".backoff");
      Long maxBackoff = duration(node.get("max_backoff"), stage, field + ".max_backoff");
      policy.setInitialBackoffMs(backoff == null ? policy.getInitialBackoffMs() : backoff);
      policy.setMaxBackoffMs(maxBackoff == null ? Math.max(policy.getMaxBackoffMs(), policy.getInitialBackoffMs()) : maxBackoff);
      policy.setBackoffMultiplier(node.has("multiplier") ? node.get("multiplier").asDouble(-1) : policy.getBackoffMultiplier());
      policy.setJitter(node.has("jitter") ? node.get("jitter").asDouble(-1) : policy.getJitter());
    } else {
      problems.add(stage, field, Reason.WRONG_TYPE,
          "expected a number of attempts or a mapping with " + String.join(", ", RETRY_FIELDS));
      return null;
    }
    return RetryPolicyChecks.check(problems, stage, field, policy) ? policy : null;
  }

  /**
   * A number of attempts as written, or 0 (which the policy's checks refuse) if it is no whole
   * number an attempt count can hold: 4294967297 must not wrap around to 1.
   */
  private int attempts(JsonNode node, String stage, String field) {
    if (node.isIntegralNumber() && node.canConvertToInt()) {
      return node.intValue();
    }
    if (node.isIntegralNumber() && node.bigIntegerValue().signum() > 0) {
      problems.add(stage, field, Reason.INVALID_POLICY,
          "attempts must be at most " + Integer.MAX_VALUE + ", but is " + node.bigIntegerValue());
      return Integer.MAX_VALUE;
    }
    return 0;
  }

  /** A stage's {@code reuse: {max_age: 60m}}, or null if absent or unusable. */
  ReusePolicy reuse(JsonNode node, String stage, String field) {
    if (isAbsent(node)) {
      return null;
    }
    if (!node.isObject() || !node.has("max_age")) {
      problems.add(stage, field, Reason.WRONG_TYPE,
          "expected a mapping with 'max_age', like {max_age: 60m}, but got " + node);
      return null;
    }
    node.fieldNames().forEachRemaining(name -> {
      if (!REUSE_FIELDS.contains(name)) {
        problems.add(stage, field, Reason.UNKNOWN_FIELD,
            "unknown field '" + name + "'" + ClosestMatch.didYouMean(name, REUSE_FIELDS));
      }
    });
    Long maxAge = duration(node.get("max_age"), stage, field + ".max_age");
    if (maxAge != null && maxAge <= 0) {
      problems.add(stage, field + ".max_age", Reason.INVALID_POLICY, "max_age must be longer than zero");
      return null;
    }
    return maxAge == null ? null : new ReusePolicy(maxAge);
  }

  /** Fields that belong to a stage with {@code foreach}. */
  static final List<String> FOREACH_FIELDS = List.of("chunk_size", "max_parallel", "tolerate_failed");
  static final int DEFAULT_CHUNK_SIZE = 1;
  static final int DEFAULT_MAX_PARALLEL = 10;

  /**
   * A stage's {@code foreach} with {@code chunk_size}, {@code max_parallel} and {@code
   * tolerate_failed}, or null if it has none or it is unusable. Ranges are the validator's to check.
   */
  ForeachPolicy foreach(JsonNode stage, String label) {
    JsonNode source = stage.get("foreach");
    if (isAbsent(source)) {
      for (String field : FOREACH_FIELDS) {
        if (!isAbsent(stage.get(field))) {
          problems.add(label, field, Reason.INVALID_FOREACH,
              "'" + field + "' applies only to a stage with foreach, like foreach: \"${params.ids}\"");
        }
      }
      return null;
    }
    if (!source.isTextual()) {
      problems.add(label, "foreach", Reason.WRONG_TYPE,
          "expected a reference to a JSON array, like \"${params.ids}\" or \"${stages.list_ids.outputs.ids}\", but got "
              + source);
      return null;
    }
    Integer chunkSize = wholeNumber(stage.get("chunk_size"), label, "chunk_size", DEFAULT_CHUNK_SIZE);
    Integer maxParallel = wholeNumber(stage.get("max_parallel"), label, "max_parallel", DEFAULT_MAX_PARALLEL);
    ForeachPolicy policy = new ForeachPolicy(source.textValue(), chunkSize == null ? DEFAULT_CHUNK_SIZE : chunkSize,
        maxParallel == null ? DEFAULT_MAX_PARALLEL : maxParallel, null, null);
    JsonNode tolerate = stage.get("tolerate_failed");
    if (isAbsent(tolerate)) {
      return policy;
    }
    if (tolerate.isIntegralNumber() && tolerate.canConvertToInt()) {
      policy.setTolerateFailedCount(tolerate.intValue());
    } else if (tolerate.isTextual() && tolerate.textValue().trim().matches("\\d+(\\.\\d+)?\\s*%")) {
      String text = tolerate.textValue().trim();
      policy.setTolerateFailedPercent(Double.parseDouble(text.substring(0, text.length() - 1).trim()));
    } else {
      problems.add(label, "tolerate_failed", Reason.WRONG_TYPE,
          "expected a number of chunks like 3, or a share like 2%, but got " + tolerate);
    }
    return policy;
  }

  /** A percentage as a plan file writes it: {@code 2%}, {@code 0.5%}. */
  static String percentText(double percent) {
    if (!Double.isFinite(percent)) {
      return percent + "%";
    }
    return (percent == Math.rint(percent) ? Long.toString((long) percent) : Double.toString(percent)) + "%";
  }

  private Integer wholeNumber(JsonNode node, String stage, String field, int fallback) {
    if (isAbsent(node)) {
      return fallback;
    }
    if (!node.isIntegralNumber() || !node.canConvertToInt()) {
      problems.add(stage, field, Reason.WRONG_TYPE, "expected a whole number, but got " + node);
      return null;
    }
    return node.intValue();
  }

  /** A timeout in milliseconds, or null if absent or unusable. */
  Long timeout(JsonNode node, String stage, String field) {
    Long millis = duration(node, stage, field);
    if (millis != null && millis <= 0) {
      problems.add(stage, field, Reason.INVALID_POLICY, "a timeout must be longer than zero");
      return null;
    }
    return millis;
  }

  private Long duration(JsonNode node, String stage, String field) {
    if (isAbsent(node)) {
      return null;
    }
    Long millis = node.isTextual() ? Durations.millis(node.textValue()) : null;
    if (millis == null && node.isTextual() && Durations.isTooLong(node.textValue())) {
      problems.add(stage, field, Reason.DURATION_TOO_LONG, Durations.tooLongMessage(node.textValue()));
    } else if (millis == null) {
      problems.add(stage, field, Reason.WRONG_TYPE,
          "expected a duration like 500ms, 30s, 5m, 2h, 1d or PT30S, but got " + node);
    }
    return millis;
  }

  private static boolean isAbsent(JsonNode value) {
    return value == null || value.isNull() || value.isMissingNode();
  }
}
