package io.groundcontrol.cli;

import io.groundcontrol.worker.api.StageContext;
import io.groundcontrol.worker.api.StageHandler;
import io.groundcontrol.worker.api.StageResult;
import java.time.Duration;

/**
 * Stand-ins for real services in the demo and the compose setup: each "works" for a moment
 * (params {@code work_ms} sets how long) and reports what it was asked to do as outputs.
 */
final class ExampleHandlers {
  private static final long DEFAULT_WORK_MS = 150;

  private ExampleHandlers() {}

  /** The example handler for any component. */
  static StageHandler forComponent(String component) {
    return context -> work(component, context);
  }

  private static StageResult work(String component, StageContext context) throws InterruptedException {
    long workMs = context.param("work_ms").map(Long::parseLong).orElse(DEFAULT_WORK_MS);
    Thread.sleep(Duration.ofMillis(workMs).toMillis());
    return StageResult.finished()
        .stringOutput("done_by", component)
        .output("params_seen", Integer.toString(context.params().size()))
        .output("attempt", Integer.toString(context.attempt()));
  }
}
