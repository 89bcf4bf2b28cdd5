package io.groundcontrol.worker.internal;

import io.groundcontrol.schema.wire.TopicNames;
import io.groundcontrol.worker.api.StageHandler;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Everything a worker is opened with, already checked by {@link WorkerBuilderImpl}.
 *
 * @param clock stamps reports
 * @param nanoTime a monotonic clock in nanoseconds, {@link System#nanoTime()} but in tests, that
 *     times the started-report delay, heartbeats and resends: the wall clock may be stepped back
 * @param eagerRebalances whether the consumer also offers the range assignor, and so rebalances eagerly
 */
record WorkerConfig(
    String component,
    String workerId,
    String host,
    TopicNames topicNames,
    StageHandler handler,
    int parallelism,
    Duration heartbeatInterval,
    Duration startedReportDelay,
    Duration closeTimeout,
    Duration failoverTimeout,
    Clock clock,
    LongSupplier nanoTime,
    Map<String, Object> kafkaProperties,
    boolean eagerRebalances,
    Tuning tuning) {

  /**
   * Settings that are not options because no user should need them, but tests do.
   *
   * @param pollTimeout longest a poll blocks, which bounds how late a freed handler thread is refilled
   *     or a close is noticed; also the longest {@link #progressPeriod()}
   * @param readAheadLimit waiting RUNs at which partitions are paused
   * @param recentAttempts how many acknowledged attempts are remembered against redelivery
   * @param resendBackoff wait before sending a final or started report again after Kafka refused it
   */
  record Tuning(Duration pollTimeout, int readAheadLimit, int recentAttempts, Duration resendBackoff) {
    static final Tuning DEFAULT = new Tuning(Duration.ofMillis(100), 1000, 10_000, Duration.ofSeconds(1));
  }

  /** Now on {@link #nanoTime}, in milliseconds: only the difference between two of these means anything. */
  long monotonicMillis() {
    return Math.floorDiv(nanoTime.getAsLong(), 1_000_000L);
  }

  String pollThreadName() {
    return "groundcontrol-worker-" + component + "-poll";
  }

  String handlerThreadName(int n) {
    return "groundcontrol-worker-" + component + "-handler-" + n;
  }

  String progressThreadName() {
    return "groundcontrol-worker-" + component + "-progress";
  }

  /**
   * How often the {@link ProgressReporter} looks for due reports: the poll timeout, shortened to the
   * heartbeat interval or the started-report delay if either is shorter, so that those reports are
   * sent at most one such period late. A delay under a millisecond means started is sent by the
   * handler thread, so it does not shorten the period.
   */
  Duration progressPeriod() {
    Duration period = shorter(tuning.pollTimeout(), heartbeatInterval);
    return startedReportDelay.toMillis() == 0 ? period : shorter(period, startedReportDelay);
  }

  private static Duration shorter(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
