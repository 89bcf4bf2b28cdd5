package io.groundcontrol.worker.api;

/**
 * Does the work of one stage attempt. Implemented by the service that embeds the worker, usually as
 * a lambda.
 *
 * <h2>Threading</h2>
 *
 * The worker calls {@link #handle} on one of its own {@linkplain
 * WorkerBuilderStep1.WorkerBuilderStep4#parallelism(int) parallelism} handler threads, so up to that
 * many calls run at once and implementations must be thread-safe. A call may block for as long as the
 * stage takes; the worker keeps consuming and committing on its own poll thread meanwhile, so a long
 * call does not endanger the consumer's group membership, and heartbeating on another, so neither a
 * long call nor a poll thread held up by a rebalance gets the attempt declared lost.
 *
 * <h2>Cancellation</h2>
 *
 * When the coordinator cancels the attempt, or the worker is closed before the call returns, the
 * worker marks the context {@linkplain StageContext#isCancelled() cancelled} and interrupts the
 * calling thread. Blocking calls should therefore let {@link InterruptedException} (or an
 * equivalent) propagate, and long computations should check {@link StageContext#isCancelled()} or
 * {@link Thread#isInterrupted()} now and then. Whatever the call does after a cancellation, the
 * attempt is reported as failed; see {@link StageContext#isCancelled()}.
 *
 * <h2>Outcome</h2>
 *
 * <ul>
 *   <li>Returning a {@link StageResult} reports the attempt as finished with the result's outputs.
 *   <li>Throwing reports it as failed: the error message is the exception's message (its class name
 *       if the message is null), the detail is the full stack trace, and the coordinator may retry
 *       the stage, unless the exception is a {@link NonRetryableStageException}. An exception whose
 *       message or stack trace cannot be read (its own code throws) is reported all the same, with a
 *       message saying so that names its class.
 *   <li>Returning {@code null} is a programming error; it is reported as a failure that is not
 *       retried.
 * </ul>
 */
@FunctionalInterface
public interface StageHandler {

  /**
   * Runs one attempt of a stage.
   *
   * @param context what to run: mission, stage, attempt and params; valid for this call only
   * @return the outputs of the stage, never null
   * @throws Exception to fail the attempt; see the class description
   */
  StageResult handle(StageContext context) throws Exception;
}
