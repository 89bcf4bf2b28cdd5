package io.groundcontrol.worker.api;

import io.groundcontrol.worker.internal.WorkerBuilderImpl;

/**
 * An open worker for one component: it consumes the component's stage instructions, runs the
 * {@link StageHandler}, and reports to the coordinator until {@linkplain #close() closed}. Created
 * with {@link #builder()}.
 *
 * <h2>What the worker does with each instruction</h2>
 *
 * <ul>
 *   <li><b>RUN</b>: once a handler thread is free, the worker calls the handler and reports the
 *       attempt finished (with the outputs) or failed. If the handler is still running after the
 *       {@linkplain WorkerBuilderStep1.WorkerBuilderStep4#startedReportDelay started-report delay},
 *       the worker reports the attempt started, and from then on a heartbeat every {@linkplain
 *       WorkerBuilderStep1.WorkerBuilderStep4#heartbeatInterval heartbeat interval} while it runs.
 *   <li><b>RUN, again</b>: a RUN for an attempt (mission, stage, attempt number) that this worker is
 *       already running is not run a second time; it is committed together with the running one,
 *       once that one's final report is acknowledged. A RUN for an attempt whose final report this
 *       worker has recently had acknowledged is committed at once, without running or reporting
 *       again: the report is already on the topic. "Recently" is the last 10,000 attempts. Such
 *       redeliveries happen after a rebalance or a restart before offsets were committed. The RUN
 *       must be of the same dispatch ({@code dispatchedAt}): a later one of the same mission id,
 *       stage and attempt is a new mission under an id the coordinator's retention forgot, and runs.
 *   <li><b>CANCEL</b>: if this worker is running the attempt, it marks the context cancelled,
 *       interrupts the handler thread, and reports the attempt failed with the message {@code
 *       cancelled} and {@code retryable = false}. If the RUN is still waiting for a free handler
 *       thread, it is answered with that same failure without being run. A CANCEL for anything else
 *       is ignored.
 *   <li>A record that cannot be decoded is logged and skipped, so one bad record does not stop the
 *       component.
 * </ul>
 *
 * <h2>Capacity and read-ahead</h2>
 *
 * At most {@code parallelism} handlers run at once. The worker keeps reading instructions while all
 * handler threads are busy, up to 1,000 waiting RUNs, and then pauses its partitions: a CANCEL
 * queued behind waiting RUNs must still reach the handler it is meant to stop. Waiting RUNs are
 * neither started nor committed, so if the partition moves to another worker, that worker gets them.
 *
 * <h2>Rebalances</h2>
 *
 * When partitions are revoked, the worker commits what is complete for them and drops their waiting
 * RUNs. Handlers already running keep running here and still report. The RUN of one the coordinator
 * knows started (Kafka has written its started report or a heartbeat) is committed with them, so
 * the partition's new owner does not run it again; should this worker then stop, the coordinator
 * finds the attempt lost by its heartbeats and retries it. Its CANCEL, written to the partition, is
 * still read here, by a consumer of no group. An attempt not yet reported started, or on a
 * partition lost rather than revoked (this worker left the group), may run again on the new owner,
 * which at-least-once delivery allows.
 *
 * <h2>Threads</h2>
 *
 * The Kafka consumer is used only by one poll thread, named {@code
 * groundcontrol-worker-<component>-poll}, which is not a daemon thread and so keeps the JVM alive
 * while the worker is open. Handlers run on {@code parallelism} daemon threads named {@code
 * groundcontrol-worker-<component>-handler-<n>}. Started reports and heartbeats are sent by one
 * daemon thread named {@code groundcontrol-worker-<component>-progress}, so that a poll thread held
 * up (by a commit while partitions are revoked, say) does not delay them until the coordinator
 * declares the worker lost. All methods of this interface are thread-safe.
 */
public interface Worker extends AutoCloseable {

  /** Starts building a worker; see {@link WorkerBuilderStep1}. */
  static WorkerBuilderStep1 builder() {
    return WorkerBuilderImpl.create();
  }

  /** The component whose instructions this worker consumes; also its consumer group id. */
  String component();

  /** The id this worker reports under. */
  String workerId();

  /**
   * Whether the worker is still consuming: true from {@code open()} until {@link #close()} is
   * called or the worker stops on an unrecoverable Kafka error (which it logs).
   */
  boolean isOpen();

  /**
   * Stops the worker and returns when it has stopped:
   *
   * <ol>
   *   <li>stops reading instructions; RUNs still waiting for a handler thread are left uncommitted
   *       for the next owner of their partition;
   *   <li>waits up to the {@linkplain WorkerBuilderStep1.WorkerBuilderStep4#closeTimeout close
   *       timeout} for running handlers to return, still sending their heartbeats and reports;
   *   <li>for handlers still running after that, marks their contexts cancelled, interrupts their
   *       threads, and reports their attempts failed with {@code retryable = true}, so the
   *       coordinator can run them elsewhere; what those handlers return later is ignored;
   *   <li>waits up to the close timeout again for the reports to be acknowledged, then commits the
   *       offsets of every instruction whose final report was acknowledged and closes the Kafka
   *       clients, allowing each of these three steps up to 5 seconds.
   * </ol>
   *
   * Calling it again, from any thread, waits for the same shutdown; once the worker is closed it
   * returns at once. Called from a handler thread, it starts the shutdown and returns without
   * waiting, since waiting would wait for itself. If the calling thread is interrupted while
   * waiting, this returns early with the interrupt flag set and the shutdown goes on in the
   * background.
   */
  @Override
  void close();
}
