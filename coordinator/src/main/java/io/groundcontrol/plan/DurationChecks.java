package io.groundcontrol.plan;

import io.groundcontrol.plan.PlanProblem.Reason;
import io.groundcontrol.schema.PlanStage;
import io.groundcontrol.schema.RetryPolicy;
import io.groundcontrol.schema.StageDefaults;
import java.time.Duration;

/**
 * The upper bound of a plan's durations, on a plan built in code, where they are milliseconds
 * already; a plan file's are checked as it is read ({@link PolicyReader}), with the same message.
 * A due time (now plus a timeout or backoff) beyond {@link Durations#MAX} could not be stored.
 */
final class DurationChecks {
  private DurationChecks() {}

  /** Reports each duration under {@code defaults} longer than {@link Durations#MAX}. */
  static void defaults(Problems problems, StageDefaults defaults) {
    check(problems, null, "defaults.timeout", defaults.getTimeoutMs());
    check(problems, null, "defaults.start_timeout", defaults.getStartTimeoutMs());
    retry(problems, null, "defaults.retry", defaults.getRetry());
  }

  /** Reports each duration of {@code stage} longer than {@link Durations#MAX}. */
  static void stage(Problems problems, String label, PlanStage stage) {
    check(problems, label, "timeout", stage.getTimeoutMs());
    check(problems, label, "start_timeout", stage.getStartTimeoutMs());
    retry(problems, label, "retry", stage.getRetry());
    if (stage.getReuse() != null) {
      check(problems, label, "reuse.max_age", stage.getReuse().getMaxAgeMs());
    }
  }

  private static void retry(Problems problems, String label, String field, RetryPolicy retry) {
    if (retry != null) {
      check(problems, label, field + ".backoff", retry.getInitialBackoffMs());
      check(problems, label, field + ".max_backoff", retry.getMaxBackoffMs());
    }
  }

  private static void check(Problems problems, String label, String field, Long millis) {
    if (millis != null && Durations.isTooLong(millis)) {
      problems.add(label, field, Reason.DURATION_TOO_LONG, Durations.tooLongMessage(Durations.text(Duration.ofMillis(millis))));
    }
  }
}
