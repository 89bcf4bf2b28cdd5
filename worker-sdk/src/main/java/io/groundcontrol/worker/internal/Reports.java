package io.groundcontrol.worker.internal;

import io.groundcontrol.schema.Actor;
import io.groundcontrol.schema.ReportFailed;
import io.groundcontrol.schema.ReportFinished;
import io.groundcontrol.schema.ReportHeartbeat;
import io.groundcontrol.schema.ReportStarted;
import io.groundcontrol.schema.StageError;
import io.groundcontrol.schema.StageInstruction;
import io.groundcontrol.schema.StageReport;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/** Builds the reports a worker sends; every report echoes the instruction's mission, stage and attempt. */
final class Reports {
  static final String CANCELLED = "cancelled";

  private final Actor worker;
  private final Clock clock;
  /** Told to the coordinator with started and every heartbeat, so it can tell when heartbeats stop. */
  private final long heartbeatIntervalMs;

  Reports(Actor worker, Clock clock, Duration heartbeatInterval) {
    this.worker = worker;
    this.clock = clock;
    this.heartbeatIntervalMs = heartbeatInterval.toMillis();
  }

  /** Started, saying when the handler began: the attempt's timeout counts from there, not from this report. */
  StageReport started(StageInstruction instruction, Instant startedAt) {
    return report(instruction, new ReportStarted(heartbeatIntervalMs, startedAt));
  }

  StageReport heartbeat(StageInstruction instruction) {
    return report(instruction, new ReportHeartbeat(heartbeatIntervalMs));
  }

  StageReport finished(StageInstruction instruction, Map<String, String> outputs) {
    return report(instruction, new ReportFinished(outputs));
  }

  StageReport cancelled(StageInstruction instruction) {
    return failed(instruction, CANCELLED, null, false);
  }

  StageReport workerClosed(StageInstruction instruction) {
    return failed(
        instruction,
        "Worker " + worker.getId() + " closed before the stage finished",
        null,
        true);
  }

  /**
   * A handler's exception: message (or class name), full stack trace, retryable unless marked not.
   * Built even if the exception's own methods throw, see {@link ThrowableText}.
   */
  StageReport thrown(StageInstruction instruction, Throwable thrown, boolean retryable) {
    return failed(instruction, ThrowableText.message(thrown), ThrowableText.stackTrace(thrown), retryable);
  }

  /** A failure, its message and detail cut to what a report carries (see {@link TextCut}). */
  StageReport failed(StageInstruction instruction, String message, String detail, boolean retryable) {
    StageError error = new StageError(TextCut.cut(message, TextCut.MAX_MESSAGE_BYTES),
        TextCut.cut(detail, TextCut.MAX_DETAIL_BYTES), retryable);
    return report(instruction, new ReportFailed(error));
  }

  private StageReport report(StageInstruction instruction, Object outcome) {
    return new StageReport(
        instruction.getMissionId(),
        instruction.getStage(),
        instruction.getAttempt(),
        worker,
        clock.instant(),
        outcome);
  }
}
