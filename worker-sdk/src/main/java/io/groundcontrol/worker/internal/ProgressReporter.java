package io.groundcontrol.worker.internal;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the started reports and heartbeats that are due for running attempts, on a thread of its
 * own. Not on the poll thread: a commit while partitions are revoked, or a send blocked on a full
 * producer buffer, holds that thread for seconds, and the coordinator declares a worker lost after
 * 3 heartbeat intervals without one. The poll thread adds each attempt it starts; an attempt is
 * dropped once it is done.
 */
final class ProgressReporter {
  private static final Logger LOG = LoggerFactory.getLogger(ProgressReporter.class);

  private final Set<Attempt> attempts = ConcurrentHashMap.newKeySet();
  private final WorkerConfig config;
  private final long startedDelayMillis;
  private final long heartbeatIntervalMillis;
  private final ScheduledExecutorService thread;
  /** Ticks completed: a test waits on it to know that all that was due has been sent. */
  private final AtomicLong ticks = new AtomicLong();

  /** Starts the thread, which looks for due reports every {@link WorkerConfig#progressPeriod()}. */
  ProgressReporter(WorkerConfig config) {
    this.config = config;
    this.startedDelayMillis = config.startedReportDelay().toMillis();
    this.heartbeatIntervalMillis = config.heartbeatInterval().toMillis();
    this.thread = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread reporter = new Thread(runnable, config.progressThreadName());
      reporter.setDaemon(true);
      return reporter;
    });
    long period = config.progressPeriod().toNanos();
    thread.scheduleWithFixedDelay(this::tick, period, period, TimeUnit.NANOSECONDS);
  }

  /** Any thread: reports the progress of {@code attempt} until it is done. */
  void add(Attempt attempt) {
    attempts.add(attempt);
  }

  long ticks() {
    return ticks.get();
  }

  private void tick() {
    try {
      long now = config.monotonicMillis();
      attempts.removeIf(attempt -> !attempt.reportProgressIfDue(now, startedDelayMillis, heartbeatIntervalMillis));
    } catch (RuntimeException | Error e) {
      // Thrown out of a scheduled task, it would end the heartbeats of every attempt, silently.
      LOG.error("Could not report the progress of running attempts; trying again", e);
    }
    ticks.incrementAndGet();
  }

  /**
   * Stops the thread, interrupting a send blocked in the producer, and waits up to {@code timeout}
   * for it to end, so that nothing is sent after the producer closes. Idempotent.
   */
  void close(Duration timeout) {
    thread.shutdownNow();
    try {
      if (!thread.awaitTermination(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
        LOG.warn("The progress reporter did not stop within {}", timeout);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
