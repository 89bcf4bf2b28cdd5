package io.groundcontrol.query;

import io.groundcontrol.schedule.ScheduleDecider;
import io.groundcontrol.schema.Schedule;
import io.groundcontrol.schema.ScheduleState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One schedule as the read side answers it: its definition, its next fires, its pause and its
 * last mission, from the scheduler's own store (what {@code schedule list} shows).
 *
 * @param when the clock in words: {@code 30 2 * * * Europe/Copenhagen} or {@code every 15m}
 * @param params mission inputs, values as JSON text
 * @param priority the priority of every mission it starts, as {@code mission start --priority}
 * @param nextFires when the next fires are due (jitter included), soonest first; none while paused or after the end
 * @param pausedBy who paused it: a key or user name, or {@code schedules file}; null if it is not paused
 * @param pausedInFile whether the schedules file pauses it (then only a new file resumes it)
 * @param lastMissionStatus STARTING, RUNNING, FINISHED, FAILED, CANCELLED or REJECTED; null before the first fire
 * @param bufferedFire a fire waiting for the last mission to end (overlap buffer_one), if any
 */
public record ScheduleDocument(
    String name,
    String plan,
    String when,
    Map<String, String> params,
    String overlap,
    int priority,
    List<String> nextFires,
    boolean paused,
    String pausedBy,
    String pauseReason,
    boolean pausedInFile,
    String lastMissionId,
    String lastMissionStatus,
    String bufferedFire,
    String startAt,
    String endAt) {

  /**
   * The document of a schedule's stored state; empty for a removed schedule. Next fires are the
   * nominal times after what the scheduler has handled, not after now: a fire whose nominal time
   * has passed is still to come until its jittered due time, when the scheduler handles it.
   */
  static Optional<ScheduleDocument> of(ScheduleState state, NextFires fires) {
    Schedule definition = state.getDefinition();
    if (definition == null) {
      return Optional.empty();
    }
    boolean paused = ScheduleDecider.paused(state);
    String pausedBy = definition.getPaused() ? ScheduleDecider.FILE : state.getPausedBy();
    return Optional.of(new ScheduleDocument(
        definition.getName(),
        definition.getPlan(),
        when(definition),
        new TreeMap<>(definition.getParams()),
        definition.getOverlap().name(),
        definition.getPriority(),
        paused ? List.of() : fires.after(definition, state.getHandledUntil()),
        paused,
        pausedBy,
        definition.getPaused() ? null : state.getPauseReason(),
        definition.getPaused(),
        state.getLastMissionId(),
        state.getLastMissionStatus() == null ? null : state.getLastMissionStatus().name(),
        text(state.getBuffered()),
        text(definition.getStartAt()),
        text(definition.getEndAt())));
  }

  /** A schedule's clock in words, as {@code schedule list} prints it. */
  public static String when(Schedule schedule) {
    return schedule.getCron() != null ? schedule.getCron() + " " + schedule.getTimeZone()
        : "every " + Duration.ofMillis(schedule.getEveryMs()).toString().substring(2).toLowerCase();
  }

  private static String text(Instant instant) {
    return instant == null ? null : instant.toString();
  }
}
