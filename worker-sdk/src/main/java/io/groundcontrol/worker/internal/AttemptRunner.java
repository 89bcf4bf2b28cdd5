package io.groundcontrol.worker.internal;

import io.groundcontrol.schema.StageInstruction;
import io.groundcontrol.schema.StageReport;
import io.groundcontrol.worker.api.NonRetryableStageException;
import io.groundcontrol.worker.api.StageResult;
import java.time.Instant;
import java.util.concurrent.Semaphore;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one attempt on a handler thread: the handler, then the final report; then frees the slot.
 * Started is reported here only with no started-report delay, otherwise by the {@link
 * ProgressReporter}.
 */
final class AttemptRunner implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(AttemptRunner.class);

  private final Attempt attempt;
  private final WorkerConfig config;
  private final Reports reports;
  private final Semaphore slots;
  private final BiConsumer<Attempt, StageReport> sendFinal;
  /** An error the JVM may not survive, rethrown once the attempt is reported. */
  private VirtualMachineError fatal;

  AttemptRunner(
      Attempt attempt,
      WorkerConfig config,
      Reports reports,
      Semaphore slots,
      BiConsumer<Attempt, StageReport> sendFinal) {
    this.attempt = attempt;
    this.config = config;
    this.reports = reports;
    this.slots = slots;
    this.sendFinal = sendFinal;
  }

  @Override
  public void run() {
    try {
      boolean began = attempt.begin(
          Instant.ofEpochMilli(config.clock().millis()),
          config.monotonicMillis(),
          config.startedReportDelay().toMillis());
      StageReport outcome = began ? outcome() : null;
      StageReport report = attempt.finish(outcome);
      // A CANCEL's interrupt may land after the handler returned; it must not fail the send below.
      Thread.interrupted();
      if (report != null) {
        sendFinal.accept(attempt, report);
      }
    } finally {
      Thread.interrupted();
      slots.release();
    }
    if (fatal != null) {
      throw fatal;
    }
  }

  /**
   * The handler's outcome as a report; never throws, so that the attempt always ends and is
   * reported, even if building its report fails (an error while out of memory, say).
   */
  private StageReport outcome() {
    try {
      return handle();
    } catch (Throwable e) {
      return reports.failed(
          attempt.instruction,
          "The outcome of the stage handler could not be reported: building its report threw "
              + e.getClass().getName(),
          null,
          true);
    }
  }

  private StageReport handle() {
    StageInstruction instruction = attempt.instruction;
    try {
      StageResult result = config.handler().handle(new StageContextImpl(instruction, attempt::isCancelled));
      if (result == null) {
        LOG.warn("Handler returned null for {}; reporting it failed", attempt.key);
        return reports.failed(
            instruction, "The stage handler returned null instead of a StageResult", null, false);
      }
      return reports.finished(instruction, result.outputs());
    } catch (NonRetryableStageException e) {
      LOG.info("{} failed, not retryable: {}", attempt.key, ThrowableText.message(e));
      return reports.thrown(instruction, e, false);
    } catch (Throwable e) {
      // Described only through ThrowableText: the exception's own methods may throw.
      if (e instanceof VirtualMachineError && !(e instanceof StackOverflowError)) {
        fatal = (VirtualMachineError) e;
        LOG.error("{} failed with an error the JVM may not survive: {}", attempt.key, ThrowableText.stackTrace(e));
      } else if (!attempt.isCancelled()) {
        LOG.info("{} failed: {}", attempt.key, ThrowableText.describe(e));
      }
      return reports.thrown(instruction, e, true);
    }
  }
}
