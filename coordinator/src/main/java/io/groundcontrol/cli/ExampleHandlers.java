package io.groundcontrol.cli;

import io.groundcontrol.worker.api.NonRetryableStageException;
import io.groundcontrol.worker.api.StageContext;
import io.groundcontrol.worker.api.StageHandler;
import io.groundcontrol.worker.api.StageResult;
import java.time.Duration;

/**
 * Stand-ins for real services in the demo and the compose setup: each "works" for a moment
 * (param {@code work_ms} sets how long) and reports what it was asked to do as outputs, with a
 * {@code table} named after the stage for downstream stages to use.
 *
 * <p>With chaos on, the first attempt of stage {@code clean} fails with a retryable error and the
 * first attempt of stage {@code train} hangs until the coordinator times it out and cancels it;
 * the plan's retry policy then carries both to the end.
 */
final class ExampleHandlers {
  private static final long DEFAULT_WORK_MS = 150;

  private ExampleHandlers() {}

  /** The example handler for any component. */
  static StageHandler forComponent(String component, boolean chaos) {
    return context -> {
      if (chaos && context.attempt() == 1) {
        misbehave(context);
      }
      return work(component, context);
    };
  }

  private static void misbehave(StageContext context) throws InterruptedException {
    if (context.stage().equals("clean")) {
      throw new IllegalStateException("warehouse connection reset (chaos: the first attempt fails)");
    }
    if (context.stage().equals("train")) {
      // Hangs past the stage's timeout; the coordinator's CANCEL interrupts this sleep.
      Thread.sleep(Duration.ofMinutes(10).toMillis());
    }
  }

  private static StageResult work(String component, StageContext context) throws InterruptedException {
    long workMs = context.stringParam("work_ms")
        .map(value -> workMs(value, "stage '" + context.stage() + "' of mission '" + context.missionId() + "'")).orElse(DEFAULT_WORK_MS);
    Thread.sleep(workMs);
    return StageResult.finished()
        .stringOutput("done_by", component)
        .stringOutput("table", "staging." + context.stage().replace('-', '_'))
        .output("params_seen", Integer.toString(context.params().size()))
        .output("attempt", Integer.toString(context.attempt()));
  }

  /**
   * {@code work_ms} as milliseconds: a whole number, given as a JSON number or string ({@code 500},
   * {@code "500"}); {@code where} names the stage and mission for the refusal.
   */
  static long workMs(String value, String where) {
    try {
      long workMs = Long.parseLong(value.strip());
      if (workMs >= 0) {
        return workMs;
      }
    } catch (NumberFormatException e) {
      // refused below, naming the value as given
    }
    throw new NonRetryableStageException("Expected param 'work_ms' of " + where
        + " to be a whole number of milliseconds, 0 or more, but got '" + value + "'");
  }
}
