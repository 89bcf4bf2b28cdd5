package io.groundcontrol.worker.internal;

import io.groundcontrol.schema.StageInstruction;
import io.groundcontrol.schema.StageReport;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One stage attempt from its RUN until its final report is acknowledged, shared by the poll thread
 * (started after the delay, heartbeats, CANCEL, close) and the handler thread that runs it.
 *
 * <p>The state changes under this object's lock, and the reports that must keep their order are
 * sent under it too: started (if at all) before any heartbeat, neither once the attempt is done,
 * and an interrupt only while the handler is still running, so that no interrupt leaks into the
 * next attempt on the same thread. Once done, nothing more is sent for the attempt except its final
 * report, which is therefore sent outside the lock.
 *
 * <p>Started is held back until the attempt has run for the started-report delay: an attempt that
 * ends sooner is reported by its final report alone, which spares the coordinator a transaction.
 */
final class Attempt {
  private enum State { WAITING_FOR_THREAD, RUNNING, DONE }

  final AttemptKey key;
  final StageInstruction instruction;
  /** Records answered by this attempt's final report: the RUN and any redelivery of it. Poll thread only. */
  final List<Taken> records = new ArrayList<>();

  private final Reports reports;
  private final ReportSender sender;
  private State state = State.WAITING_FOR_THREAD;
  private Thread thread;
  private long beganMillis;
  private boolean startedReported;
  /** When started or the last heartbeat was sent: the next heartbeat counts from it. */
  private long lastReportMillis;
  private StageReport finalReport;
  private volatile boolean cancelled;

  Attempt(StageInstruction instruction, Taken record, Reports reports, ReportSender sender) {
    this.key = AttemptKey.of(instruction);
    this.instruction = instruction;
    this.records.add(record);
    this.reports = reports;
    this.sender = sender;
  }

  boolean isCancelled() {
    return cancelled;
  }

  /**
   * Called on the handler thread before the handler: marks the attempt running, and with no
   * started-report delay reports it started at once. False if it was cancelled or abandoned while
   * waiting for the thread, and the handler must not run.
   */
  synchronized boolean begin(long nowMillis, long startedDelayMillis) {
    if (state != State.WAITING_FOR_THREAD || cancelled) {
      return false;
    }
    state = State.RUNNING;
    thread = Thread.currentThread();
    beganMillis = nowMillis;
    if (startedDelayMillis == 0) {
      reportStarted(nowMillis);
    }
    return true;
  }

  /**
   * While the attempt runs: reports it started once it has run for {@code startedDelayMillis}, and
   * after that a heartbeat whenever the last of these reports is {@code heartbeatIntervalMillis} old.
   */
  synchronized void reportProgressIfDue(long nowMillis, long startedDelayMillis, long heartbeatIntervalMillis) {
    if (state != State.RUNNING) {
      return;
    }
    if (!startedReported) {
      if (nowMillis - beganMillis >= startedDelayMillis) {
        reportStarted(nowMillis);
      }
    } else if (nowMillis - lastReportMillis >= heartbeatIntervalMillis) {
      sender.sendQuietly(reports.heartbeat(instruction));
      lastReportMillis = nowMillis;
    }
  }

  private void reportStarted(long nowMillis) {
    sender.sendQuietly(reports.started(instruction, Instant.ofEpochMilli(beganMillis)));
    startedReported = true;
    lastReportMillis = nowMillis;
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
  synchronized StageReport finish(StageReport outcome) {
    if (state == State.DONE) {
      return null;
    }
    state = State.DONE;
    thread = null;
    finalReport = cancelled ? reports.cancelled(instruction) : outcome;
    return finalReport;
  }

  /**
   * Ends the attempt because the worker is closing: marks it cancelled and interrupts the handler.
   * The report says the worker closed, which the coordinator may retry, unless a CANCEL came first.
   * Returns the final report to send, or null if the attempt had already ended.
   */
  synchronized StageReport abandon() {
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

  synchronized StageReport finalReport() {
    return finalReport;
  }

  /** Replaces a final report that Kafka will never accept, such as one too large. */
  synchronized void replaceFinalReport(StageReport report) {
    finalReport = report;
  }
}
