package io.groundcontrol.worker.internal;

import io.groundcontrol.schema.ReportStarted;
import io.groundcontrol.schema.StageInstruction;
import io.groundcontrol.schema.StageReport;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One stage attempt from its RUN until its final report is acknowledged, shared by the poll thread
 * (CANCEL, close), the {@link ProgressReporter} (started after the delay, heartbeats) and the
 * handler thread that runs it.
 *
 * <p>The state changes under this object's lock, and an interrupt is sent under it only while the
 * handler is still running, so that no interrupt leaks into the next attempt on the same thread.
 * The reports that must keep their order are sent under a second lock, {@code reportLock}: started
 * (if at all) before any heartbeat, neither once the attempt is done. Ending the attempt takes that
 * lock too, so nothing more is sent for it after that except its final report, which is therefore
 * sent outside both. A CANCEL takes only this object's lock, so a send blocked in the producer holds
 * up the handler's end but not the poll thread. {@code reportLock} is always taken first.
 *
 * <p>Started is held back until the attempt has run for the started-report delay: an attempt that
 * ends sooner is reported by its final report alone, which spares the coordinator a transaction.
 * A started report Kafka loses (refused at send or on delivery) is due again after the resend
 * backoff, and no heartbeat goes before it, unless the attempt is done by then: without it the
 * coordinator starts the attempt only at its first heartbeat, so its timeout counts from then. Nor
 * is it sent again once a heartbeat of the attempt was delivered: that heartbeat started it. A
 * delivery that times out may still have been written, so the resend can duplicate it all the
 * same: the coordinator ignores a started report of the attempt's own worker for an attempt it
 * already started (no event in the mission's history).
 */
final class Attempt {
  private static final Logger LOG = LoggerFactory.getLogger(Attempt.class);
  private enum State { WAITING_FOR_THREAD, RUNNING, DONE }

  final AttemptKey key;
  final StageInstruction instruction;
  /** Records answered by this attempt's final report: the RUN and any redelivery of it. Poll thread only. */
  final List<Taken> records = new ArrayList<>();

  private final Reports reports;
  private final ReportSender sender;
  private final WorkerConfig config;
  /** Held while started or a heartbeat is sent, and to end the attempt. Taken before this object's lock. */
  private final Object reportLock = new Object();
  private State state = State.WAITING_FOR_THREAD;
  private Thread thread;
  /** When the handler began, on the wall clock: the started report says so. */
  private Instant beganAt;
  /** When the handler began, on the monotonic clock that times the started-report delay. */
  private long beganMillis;
  private boolean startedReported;
  /** Whether Kafka has written a heartbeat of this attempt: the coordinator has started it, started or not. */
  private boolean heartbeatDelivered;
  /** Whether Kafka has written the started report of this attempt. */
  private boolean startedDelivered;
  /** Started is not sent before this, on the monotonic clock: after a lost one, until the backoff has passed. */
  private long startedDueMillis;
  /** When started or the last heartbeat was sent, on the monotonic clock: the next heartbeat counts from it. */
  private long lastReportMillis;
  private StageReport finalReport;
  private volatile boolean cancelled;

  /** @param config times a lost started report's resend ({@link WorkerConfig.Tuning#resendBackoff()}) */
  Attempt(StageInstruction instruction, Taken record, Reports reports, ReportSender sender, WorkerConfig config) {
    this.key = AttemptKey.of(instruction);
    this.instruction = instruction;
    this.records.add(record);
    this.reports = reports;
    this.sender = sender;
    this.config = config;
  }

  boolean isCancelled() {
    return cancelled;
  }

  /**
   * Called on the handler thread before the handler: marks the attempt running, and with no
   * started-report delay reports it started at once. False if it was cancelled or abandoned while
   * waiting for the thread, and the handler must not run.
   *
   * @param beganAt now on the wall clock, which the started report gives as when the handler began
   * @param nowMillis now on the monotonic clock, from which the delay and heartbeats are timed
   */
  boolean begin(Instant beganAt, long nowMillis, long startedDelayMillis) {
    synchronized (reportLock) {
      StageReport started;
      synchronized (this) {
        if (state != State.WAITING_FOR_THREAD || cancelled) {
          return false;
        }
        state = State.RUNNING;
        thread = Thread.currentThread();
        this.beganAt = beganAt;
        beganMillis = nowMillis;
        startedDueMillis = nowMillis;
        started = startedDelayMillis == 0 ? started(nowMillis) : null;
      }
      if (started != null) {
        send(started);
      }
      return true;
    }
  }

  /**
   * While the attempt runs: reports it started once it has run for {@code startedDelayMillis}, and
   * after that a heartbeat whenever the last of these reports is {@code heartbeatIntervalMillis} old.
   * Returns false once the attempt is done, when it will never report progress again. {@code
   * nowMillis} is on the monotonic clock, as in {@link #begin}.
   */
  boolean reportProgressIfDue(long nowMillis, long startedDelayMillis, long heartbeatIntervalMillis) {
    synchronized (reportLock) {
      StageReport due;
      synchronized (this) {
        if (state == State.DONE) {
          return false;
        }
        due = state == State.RUNNING ? progressDue(nowMillis, startedDelayMillis, heartbeatIntervalMillis) : null;
      }
      if (due != null) {
        send(due);
      }
      return true;
    }
  }

  private StageReport progressDue(long nowMillis, long startedDelayMillis, long heartbeatIntervalMillis) {
    if (!startedReported) {
      boolean due = nowMillis - beganMillis >= startedDelayMillis && nowMillis - startedDueMillis >= 0;
      return due ? started(nowMillis) : null;
    }
    if (nowMillis - lastReportMillis >= heartbeatIntervalMillis) {
      lastReportMillis = nowMillis;
      return reports.heartbeat(instruction);
    }
    return null;
  }

  private StageReport started(long nowMillis) {
    startedReported = true;
    lastReportMillis = nowMillis;
    return reports.started(instruction, beganAt);
  }

  /** Sends started or a heartbeat; called holding {@code reportLock}, not this object's lock. */
  private void send(StageReport progress) {
    if (progress.getOutcome() instanceof ReportStarted) {
      sender.sendQuietly(progress, this::startedDelivered, this::startedLost);
    } else {
      sender.sendQuietly(progress, this::heartbeatDelivered);
    }
  }

  /**
   * From the producer's thread, or the sending one if the send threw: started is due again after the
   * backoff, unless the attempt has ended or a heartbeat has started it.
   */
  private void startedLost(Exception exception) {
    String then;
    synchronized (this) {
      then = state == State.DONE ? "it has ended since" : heartbeatDelivered ? "a heartbeat has started it since"
          : "sending it again";
      if (state != State.DONE && !heartbeatDelivered) {
        startedReported = false;
        startedDueMillis = config.monotonicMillis() + config.tuning().resendBackoff().toMillis();
      }
    }
    LOG.warn("Kafka refused the started report of {}; {}: {}", key, then, ThrowableText.describe(exception));
  }

  /** From the producer's thread: the coordinator starts the attempt at this heartbeat, so a started resend due is not. */
  private synchronized void heartbeatDelivered() {
    heartbeatDelivered = true;
    startedReported = true;
  }

  /** From the producer's thread. */
  private synchronized void startedDelivered() {
    startedDelivered = true;
  }

  /**
   * Whether Kafka has written the started report or a heartbeat of this attempt, so that the
   * coordinator will watch its heartbeats: should this worker stop sending them, it declares the
   * attempt lost and retries it, without its RUN being delivered again.
   */
  synchronized boolean startedOnRecord() {
    return startedDelivered || heartbeatDelivered;
  }

  /** A CANCEL: marks the attempt cancelled and interrupts its handler. False if it is already done. */
  synchronized boolean cancel() {
    if (state == State.DONE) {
      return false;
    }
    cancelled = true;
    if (thread != null) {
      thread.interrupt();
    }
    return true;
  }

  /**
   * Ends the attempt with {@code outcome}, or with "cancelled" if it was cancelled first. Returns
   * the final report to send, or null if the attempt had already ended (abandoned at close).
   */
  StageReport finish(StageReport outcome) {
    synchronized (reportLock) {
      synchronized (this) {
        if (state == State.DONE) {
          return null;
        }
        state = State.DONE;
        thread = null;
        finalReport = cancelled ? reports.cancelled(instruction) : outcome;
        return finalReport;
      }
    }
  }

  /**
   * Ends the attempt because the worker is closing: marks it cancelled and interrupts the handler.
   * The report says the worker closed, which the coordinator may retry, unless a CANCEL came first.
   * Returns the final report to send, or null if the attempt had already ended.
   */
  StageReport abandon() {
    synchronized (reportLock) {
      synchronized (this) {
        if (state == State.DONE) {
          return null;
        }
        StageReport report = cancelled ? reports.cancelled(instruction) : reports.workerClosed(instruction);
        cancelled = true;
        if (thread != null) {
          thread.interrupt();
        }
        state = State.DONE;
        thread = null;
        finalReport = report;
        return report;
      }
    }
  }

  synchronized StageReport finalReport() {
    return finalReport;
  }

  /** Replaces a final report that Kafka will never accept, such as one too large. */
  synchronized void replaceFinalReport(StageReport report) {
    finalReport = report;
  }
}
