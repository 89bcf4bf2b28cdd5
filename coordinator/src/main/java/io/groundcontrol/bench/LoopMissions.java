package io.groundcontrol.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The missions of a closed loop and when each was started. While the loop runs, each one that ends
 * is replaced; once it is stopped, {@link #awaitEnded} waits for the rest. A mission that never
 * ends writes nothing to the log, neither a failure nor a rejection: only that wait tells it from
 * one that ended. The wait runs out when no mission of the loop has moved on for a while, not at a
 * fixed time: a mission of a 10,000-stage plan takes about a minute at 64 in flight, longer than
 * any window of a quick run, and is not stuck while its stages finish.
 */
final class LoopMissions {
  /** A mission of the loop to start. */
  record Start(String missionId, String plan) {}

  private static final long MAX_MILLIS = 600_000;
  /** The wait for the missions in flight when a loop stops, since the last that moved on: this much ... */
  private static final Duration DRAIN_BASE = Duration.ofSeconds(5);
  /** ... plus this many times the p99 of the loop's missions ... */
  private static final int DRAIN_P99S = 4;
  /** ... and never longer than this (nor when no mission ended to take a p99 of). */
  private static final Duration DRAIN_MAX = Duration.ofSeconds(60);
  /** However the missions move on, the wait ends after this. */
  private static final Duration DRAIN_TOTAL = Duration.ofMinutes(10);

  private final Supplier<String> newId;
  private final Map<String, Long> inFlight = new HashMap<>();
  /** When a mission of the loop last ended or finished a stage, on this JVM's clock. */
  private long movedOnNanos;
  private final Recorder millis = new Recorder(MAX_MILLIS, 3);
  private String plan;

  /** @param newId a fresh mission id at each call */
  LoopMissions(Supplier<String> newId) {
    this.newId = newId;
  }

  /** Starts a loop of {@code count} missions of {@code plan} at {@code nanos}; returns them, to send. */
  synchronized List<Start> run(String plan, int count, long nanos) {
    if (count < 1) {
      throw new IllegalArgumentException("Expected at least one mission in flight for a closed loop of plan '" + plan
          + "', but got " + count);
    }
    this.plan = plan;
    List<Start> starts = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      starts.add(add(nanos));
    }
    return starts;
  }

  /**
   * Mission {@code id} ended at {@code nanos}. Returns its replacement to send, or null if it was no
   * mission of the loop or the loop is stopped.
   */
  synchronized Start ended(String id, long nanos) {
    Long began = inFlight.remove(id);
    if (began == null) {
      return null;
    }
    millis.recordValue(Math.min(MAX_MILLIS, Math.max(0, TimeUnit.NANOSECONDS.toMillis(nanos - began))));
    movedOnNanos = System.nanoTime();
    notifyAll();
    return plan == null ? null : add(nanos);
  }

  /** Mission {@code id} finished a stage: if it is one of the loop's, it is not stuck. */
  synchronized void movedOn(String id) {
    if (inFlight.containsKey(id)) {
      movedOnNanos = System.nanoTime();
    }
  }

  /** No more replacements; the missions in flight run on. */
  synchronized void stop() {
    plan = null;
  }

  /**
   * Waits for the missions in flight of a stopped loop to end, until none has {@linkplain #movedOn
   * moved on} (or ended) for {@code limit}, and at most {@link #DRAIN_TOTAL}.
   *
   * @return how many did not end; they are forgotten, so a next loop starts from none
   */
  synchronized int awaitEnded(Duration limit) throws InterruptedException {
    if (plan != null) {
      throw new IllegalStateException("The closed loop of plan '" + plan + "' still runs: stop it before waiting for its end");
    }
    long started = System.nanoTime();
    long cap = started + DRAIN_TOTAL.toNanos();
    movedOnNanos = started;
    while (!inFlight.isEmpty()) {
      long left = Math.min(movedOnNanos + limit.toNanos(), cap) - System.nanoTime();
      if (left <= 0) {
        break;
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
    int stuck = inFlight.size();
    inFlight.clear();
    return stuck;
  }

  /** Since the last call: from start command to end read in the log, in milliseconds, of the loop's missions that ended. */
  Histogram durations() {
    return millis.getIntervalHistogram();
  }

  /**
   * How long to wait for a stopped loop's missions, from the {@link #durations} of the window before:
   * a few seconds plus a few times its p99, bounded.
   */
  static Duration drainLimit(Histogram durations) {
    if (durations.getTotalCount() == 0) {
      return DRAIN_MAX;
    }
    Duration limit = DRAIN_BASE.plusMillis(DRAIN_P99S * durations.getValueAtPercentile(99));
    return limit.compareTo(DRAIN_MAX) > 0 ? DRAIN_MAX : limit;
  }

  private Start add(long nanos) {
    String id = newId.get();
    inFlight.put(id, nanos);
    return new Start(id, plan);
  }
}
