package io.groundcontrol.plan;

import io.groundcontrol.plan.PlanProblem.Reason;
import io.groundcontrol.schema.RetryPolicy;
import java.time.Duration;

/**
 * The ranges of a retry policy, checked where a plan file is read and again by {@link
 * PlanValidator} on a plan from Kafka: a multiplier or jitter that is NaN or infinite would turn
 * every backoff into 0 or into the cap.
 */
final class RetryPolicyChecks {
  private RetryPolicyChecks() {}

  /** Reports every setting of {@code policy} out of range; whether it is usable. */
  static boolean check(Problems problems, String stage, String field, RetryPolicy policy) {
    int before = problems.size();
    if (policy.getMaxAttempts() < 1) {
      problems.add(stage, field, Reason.INVALID_POLICY, "attempts must be a whole number of at least 1");
    }
    if (finite(problems, stage, field, "multiplier", policy.getBackoffMultiplier())
        && policy.getBackoffMultiplier() < 1) {
      problems.add(stage, field, Reason.INVALID_POLICY, "multiplier must be at least 1");
    }
    if (finite(problems, stage, field, "jitter", policy.getJitter())
        && (policy.getJitter() < 0 || policy.getJitter() > 1)) {
      problems.add(stage, field, Reason.INVALID_POLICY, "jitter must be between 0 and 1");
    }
    notNegative(problems, stage, field + ".backoff", policy.getInitialBackoffMs());
    notNegative(problems, stage, field + ".max_backoff", policy.getMaxBackoffMs());
    if (policy.getMaxBackoffMs() < policy.getInitialBackoffMs()) {
      problems.add(stage, field, Reason.INVALID_POLICY, "max_backoff must not be shorter than backoff");
    }
    return problems.size() == before;
  }

  /** A negative wait, which ISO-8601 can write ({@code PT-10S}), would be no wait at all. */
  private static void notNegative(Problems problems, String stage, String field, long millis) {
    if (millis < 0) {
      problems.add(stage, field, Reason.NEGATIVE_DURATION,
          "a backoff must not be negative, but got \"" + Durations.text(Duration.ofMillis(millis)) + '"');
    }
  }

  private static boolean finite(Problems problems, String stage, String field, String setting, double value) {
    if (!Double.isFinite(value)) {
      problems.add(stage, field, Reason.INVALID_POLICY, setting + " must be a finite number, but is " + value);
      return false;
    }
    return true;
  }
}
