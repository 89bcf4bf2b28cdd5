package io.groundcontrol.mission;

import io.groundcontrol.schema.RetryPolicy;
import io.groundcontrol.schema.StageError;
import io.groundcontrol.schema.StageFailed;
import io.groundcontrol.schema.StageRetryScheduled;
import java.time.Instant;

/** What follows a failed attempt, however it failed: a retry if the policy allows, else the end of the road. */
final class Failures {
  private Failures() {}

  /** Fails the current attempt of {@code stage} for the coordinator or a command: no worker reported it. */
  static void failAttempt(ProcessingContext context, MissionPlan plan, String stage, int attempt, StageError error) {
    failAttempt(context, plan, stage, attempt, error, null);
  }

  /**
   * Fails the current attempt of {@code stage}, schedules the next one if the error is retryable
   * and attempts are left (else tells the results index none is coming), and ends the mission if
   * nothing else can run. The error's message and detail are cut to {@link TextLimits}: a worker
   * may quote a whole error page, and every failed stage's message goes into the mission's reason.
   *
   * @param worker the reporting worker, if the event is to name it (see {@code StageFailed.worker}); else null
   */
  static void failAttempt(
      ProcessingContext context, MissionPlan plan, String stage, int attempt, StageError reported, String worker) {
    StageError error = TextLimits.capped(reported);
    Slots.release(context, plan, context.mission().orElseThrow().stage(stage).orElseThrow(), "failed");
    context.append(new StageFailed(stage, attempt, error, worker));
    Timers.forgetLiveness(context, stage, attempt);
    RetryPolicy policy = plan.retryPolicy(stage);
    int made = FanOuts.attemptsMade(context.mission().orElseThrow(), stage, attempt);
    if (error.getRetryable() && made < policy.getMaxAttempts()) {
      // From when the failure was reported, but never later than the coordinator read it: a worker
      // clock an hour fast would otherwise hold the retry back an hour.
      Instant dueAt = context.writtenBy().plus(Backoff.before(policy, made, context.missionId(), stage));
      context.append(new StageRetryScheduled(stage, attempt + 1, dueAt));
      Timers.retry(context, stage, attempt + 1, dueAt);
    } else {
      // No result is coming from this stage: stages waiting for it must not wait any longer.
      Results.abandoned(context, context.mission().orElseThrow().stage(stage).orElseThrow());
    }
    Progress.concludeIfSettled(context, plan);
  }
}
