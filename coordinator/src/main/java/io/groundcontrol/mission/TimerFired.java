package io.groundcontrol.mission;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;

/**
 * A coordinator timer came due: an input like a command or a report, but raised by punctuation.
 * Timers are not cancelled when their attempt ends (that would cost every attempt a write); one
 * that no longer applies (the attempt ended, or the mission it was set for was forgotten and its
 * id started again) changes nothing. The coordinator removes those of forgotten missions
 * ({@link #outlivedItsMission}) before they come due.
 *
 * @param missionId the mission
 * @param stage the stage
 * @param attempt the attempt the timer was set for (for RETRY: the attempt to dispatch)
 * @param kind what came due
 * @param dueAt when it was due
 * @param missionStartedAt when the mission it was set for started, which tells it from a later
 *     mission of the same id; null for a timer that is no stage's, or one stored before timers kept it
 */
public record TimerFired(String missionId, String stage, int attempt, Kind kind, Instant dueAt, Instant missionStartedAt) {
  /** The kinds a decision sets for a stage of a stored mission, in the same step as it saves the mission. */
  private static final Set<Kind> STAGE_KINDS = EnumSet.of(Kind.RETRY, Kind.TIMEOUT, Kind.START_TIMEOUT, Kind.LIVENESS);

  /** A timer not tied to one start of its mission. */
  public TimerFired(String missionId, String stage, int attempt, Kind kind, Instant dueAt) {
    this(missionId, stage, attempt, kind, dueAt, null);
  }

  /** Whether it was set for an earlier mission of the id than the one that started at {@code startedAt}. */
  public boolean setBefore(Instant startedAt) {
    return missionStartedAt != null && missionStartedAt.toEpochMilli() != startedAt.toEpochMilli();
  }

  /**
   * Whether this timer can never act again, the mission stored under its id having started at
   * {@code storedMissionStartedAt} (null: none is stored): a stage's timer whose mission was
   * forgotten, or forgotten and started again since. Such a timer changes nothing when it comes
   * due, so it may be removed before. A timer that is no stage's (a parked start's) waits for a
   * mission not stored yet: never. One stored before timers kept their mission's start: only once
   * no mission of its id is stored.
   */
  public boolean outlivedItsMission(Instant storedMissionStartedAt) {
    if (!STAGE_KINDS.contains(kind)) {
      return false;
    }
    return storedMissionStartedAt == null || setBefore(storedMissionStartedAt);
  }

  /** What a timer is for. */
  public enum Kind {
    /** The backoff before a retry is over: dispatch the next attempt. */
    RETRY,
    /** The attempt ran longer than the stage's timeout, counted from when its worker started it. */
    TIMEOUT,
    /** No worker started the attempt within the stage's start timeout, counted from its dispatch. */
    START_TIMEOUT,
    /** The worker running the attempt stopped heartbeating. */
    LIVENESS,
    /**
     * A start command waits for its plan to reach this instance's plan store; handled by the
     * coordinator before deciding, never by the engine.
     */
    PLAN_WAIT,
    /**
     * An ended mission's retention may be over: forget it if it had not changed for the period by
     * {@code dueAt}, up to when the coordinator has read every input. Raised by the coordinator's
     * retention sweep, never stored; its stage is empty and its attempt 0.
     */
    FORGET
  }
}
