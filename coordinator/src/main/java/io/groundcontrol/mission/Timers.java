package io.groundcontrol.mission;

import java.time.Duration;
import java.time.Instant;

/**
 * The timers processors set, and the liveness watch that goes with a heartbeating worker. Timers
 * come back as {@link TimerFired} inputs when due; one that no longer applies changes nothing.
 */
public final class Timers {
  /** Heartbeat intervals without a heartbeat after which a running attempt's worker counts as lost. */
  public static final int MISSED_HEARTBEATS = 3;

  /** The longest heartbeat interval the coordinator watches (365 days); a longer one counts as this. */
  public static final long MAX_HEARTBEAT_INTERVAL_MS = 365L * 24 * 60 * 60 * 1000;

  private Timers() {}

  /**
   * Bounds a started attempt by its stage's timeout, if it has one, counting from when its worker
   * started it. An attempt reported only by its outcome needs none.
   */
  static void timeout(ProcessingContext context, MissionPlan plan, String stage, int attempt, Instant startedAt) {
    plan.timeout(stage).ifPresent(timeout -> context.emit(new Effect.SetTimer(
        timer(context, stage, attempt, TimerFired.Kind.TIMEOUT, startedAt.plus(timeout)))));
  }

  /**
   * Bounds the wait of a dispatched attempt for a worker to start it by its stage's start timeout,
   * if it has one, counting from when the dispatch is written: not from the input that caused it,
   * which a coordinator down or behind may read long after it was written.
   */
  static void startTimeout(ProcessingContext context, MissionPlan plan, String stage, int attempt) {
    plan.startTimeout(stage).ifPresent(timeout -> context.emit(new Effect.SetTimer(
        timer(context, stage, attempt, TimerFired.Kind.START_TIMEOUT, context.writtenAt().plus(timeout)))));
  }

  /** Dispatches attempt {@code attempt} of a stage at {@code dueAt}. */
  static void retry(ProcessingContext context, String stage, int attempt, Instant dueAt) {
    context.emit(new Effect.SetTimer(timer(context, stage, attempt, TimerFired.Kind.RETRY, dueAt)));
  }

  /**
   * Watches a started attempt's heartbeats, if its worker sends them, from when the coordinator read
   * the report that started it (a started report, or a first heartbeat). Heartbeats count when the coordinator reads them too: liveness is measured on
   * the coordinator's clock alone, so a worker's clock need not agree with it.
   */
  static void watchLiveness(ProcessingContext context, String stage, int attempt, Long heartbeatIntervalMs) {
    if (heartbeatIntervalMs == null) {
      return;
    }
    context.emit(new Effect.WatchLiveness(context.missionId(), stage, attempt, context.readAt(), heartbeatIntervalMs));
    context.emit(new Effect.SetTimer(timer(context, stage, attempt, TimerFired.Kind.LIVENESS,
        context.readAt().plus(livenessWindow(heartbeatIntervalMs)))));
  }

  /** A timer for the mission as it is now: one of a later mission of the same id will not take it for its own. */
  private static TimerFired timer(ProcessingContext context, String stage, int attempt, TimerFired.Kind kind,
      Instant dueAt) {
    return new TimerFired(context.missionId(), stage, attempt, kind, dueAt, context.mission().orElseThrow().startedAt());
  }

  /** Stops watching an attempt that ended. */
  static void forgetLiveness(ProcessingContext context, String stage, int attempt) {
    context.emit(new Effect.ForgetLiveness(context.missionId(), stage, attempt));
  }

  /**
   * The heartbeat interval a worker announced, as the coordinator takes it: null, no heartbeats to
   * watch, for null or for a value below 1 ms; at most {@link #MAX_HEARTBEAT_INTERVAL_MS}. No worker heartbeats that often; such a value comes
   * from a unit truncated to 0 or from 0 meant as "none", and watching it would declare the worker
   * lost on the next tick.
   */
  public static Long heartbeatInterval(Long announcedMs) {
    if (announcedMs == null || announcedMs < 1) {
      return null;
    }
    // A "practically never" value (2^62) would overflow the window and the timer's due time.
    return Math.min(announcedMs, MAX_HEARTBEAT_INTERVAL_MS);
  }

  /** How long a worker heartbeating every {@code intervalMs} may stay silent. */
  public static Duration livenessWindow(long intervalMs) {
    return Duration.ofMillis(intervalMs * MISSED_HEARTBEATS);
  }
}
