package io.groundcontrol.schedule;

import io.groundcontrol.mission.MissionIds;
import io.groundcontrol.schema.FireBuffered;
import io.groundcontrol.schema.FireSkipped;
import io.groundcontrol.schema.FiresMissed;
import io.groundcontrol.schema.OverlapPolicy;
import io.groundcontrol.schema.PauseSchedule;
import io.groundcontrol.schema.ResumeSchedule;
import io.groundcontrol.schema.Schedule;
import io.groundcontrol.schema.ScheduleCommand;
import io.groundcontrol.schema.ScheduleCommandRejected;
import io.groundcontrol.schema.ScheduleFired;
import io.groundcontrol.schema.SchedulePaused;
import io.groundcontrol.schema.ScheduleResumed;
import io.groundcontrol.schema.ScheduleState;
import io.groundcontrol.schema.ScheduledMissionStatus;
import io.groundcontrol.schema.TriggerSchedule;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Decides what a schedule does: at a clock tick, on an operator's command, when its definition
 * changes. Plain Java, no Kafka types, no clock of its own: time is the tick's or the input's. Each
 * decision returns effects; the events among them are applied to the state by
 * {@link ScheduleAppliers} as they are decided, so the next one sees them.
 */
public final class ScheduleDecider {
  /** Who pauses and resumes a schedule through the {@code paused} field of the file. */
  public static final String FILE = "schedules file";
  /** Longest run of nominal times looked at in one decision; beyond, the rest waits for the next tick. */
  static final int MAX_FIRES_PER_DECISION = 100_000;

  private final Map<String, ScheduleSpec> compiled = new HashMap<>();

  /**
   * A fresh state for a schedule applied at {@code at}, the scheduler's clock as it reads the
   * definition: fires start after that.
   */
  public static ScheduleState newState(Schedule definition, Instant at) {
    return ScheduleState.newBuilder().setSchedule(definition.getName()).setDefinition(definition)
        .setHandledUntil(at).build();
  }

  /** Whether the schedule fires nothing now: paused in the file or by a command. */
  public static boolean paused(ScheduleState state) {
    return state.getPausedBy() != null || (state.getDefinition() != null && state.getDefinition().getPaused());
  }

  /** Whether the schedule's last mission may still run, as far as the mission log has told. */
  public static boolean lastMissionRunning(ScheduleState state) {
    ScheduledMissionStatus status = state.getLastMissionStatus();
    return status == ScheduledMissionStatus.STARTING || status == ScheduledMissionStatus.RUNNING;
  }

  /** The fires due by {@code now}: buffered, on time, and missed ones by the catch-up policy. */
  public List<ScheduleEffect> tick(ScheduleState state, Instant now) {
    List<ScheduleEffect> effects = new ArrayList<>();
    if (state.getDefinition() == null || paused(state)) {
      return effects;
    }
    ScheduleSpec spec = spec(state.getDefinition());
    if (state.getBuffered() != null && !lastMissionRunning(state)) {
      fire(spec, state, state.getBuffered(), false, null, spec.params(), now, effects);
    }
    List<Instant> due = due(spec, state.getHandledUntil(), now);
    Instant missedBefore = now.minus(ScheduleSpec.MISFIRE_THRESHOLD);
    // A prefix: with a jitter longer than a cron's gap, a later fire can fall due before an earlier
    // one, and it waits for it (fires go in nominal order), which is no miss.
    List<Instant> missed = due.stream().takeWhile(n -> spec.dueAt(n).isBefore(missedBefore)).toList();
    if (!missed.isEmpty()) {
      int laterInWindow = missed.size() == MAX_FIRES_PER_DECISION
          ? missedInWindowAfter(spec, missed.get(missed.size() - 1), missedBefore, now) : 0;
      catchUp(spec, state, missed, laterInWindow, now, effects);
    }
    for (Instant nominal : due.subList(missed.size(), due.size())) {
      onOverlap(spec, state, nominal, false, now, effects);
    }
    return effects;
  }

  /**
   * How many missed fires within the catch-up window follow {@code last}, the end of a decision's
   * full batch, counted up to {@code catch_up.max}: they are newer than the batch's, so they take
   * that many of its runs. The next decision runs them.
   */
  private static int missedInWindowAfter(ScheduleSpec spec, Instant last, Instant missedBefore, Instant now) {
    if (spec.catchUpWindow().isZero()) {
      return 0;
    }
    Instant windowStart = now.minus(spec.catchUpWindow());
    // Fires before the window run in no case: count from the window's first.
    Optional<Instant> next = spec.nominalAfter(last.isBefore(windowStart) ? windowStart.minusNanos(1) : last);
    int count = 0;
    while (next.isPresent() && count < spec.catchUpMax() && spec.dueAt(next.get()).isBefore(missedBefore)) {
      count++;
      next = spec.nominalAfter(next.get());
    }
    return count;
  }

  /**
   * Runs the missed fires the catch-up policy allows, newest {@code max} within the window, less
   * {@code laterInWindow} newer ones a later decision runs; records the rest.
   */
  private void catchUp(ScheduleSpec spec, ScheduleState state, List<Instant> missed, int laterInWindow, Instant now,
      List<ScheduleEffect> effects) {
    Instant windowStart = now.minus(spec.catchUpWindow());
    List<Instant> inWindow = spec.catchUpWindow().isZero() ? List.of()
        : missed.stream().filter(n -> !n.isBefore(windowStart)).toList();
    int runs = Math.max(0, spec.catchUpMax() - laterInWindow);
    List<Instant> run = inWindow.subList(Math.max(0, inWindow.size() - runs), inWindow.size());
    List<Instant> dropped = missed.subList(0, missed.size() - run.size());
    if (!dropped.isEmpty()) {
      String reason = spec.catchUpWindow().isZero()
          ? "missed while no scheduler ran; catch_up is off"
          : "missed while no scheduler ran; outside catch_up (window " + spec.catchUpWindow() + ", at most "
              + spec.catchUpMax() + ")";
      record(state, new FiresMissed(dropped.get(0), dropped.get(dropped.size() - 1), (long) dropped.size(), reason),
          now, effects);
    }
    for (Instant nominal : run) {
      onOverlap(spec, state, nominal, true, now, effects);
    }
  }

  /** One due fire, by the overlap policy when the last mission still runs. */
  private void onOverlap(ScheduleSpec spec, ScheduleState state, Instant nominal, boolean catchUp, Instant now,
      List<ScheduleEffect> effects) {
    String previous = state.getLastMissionId();
    if (!lastMissionRunning(state) || spec.overlap() == OverlapPolicy.ALLOW) {
      fire(spec, state, nominal, catchUp, null, spec.params(), now, effects);
      return;
    }
    switch (spec.overlap()) {
      case BUFFER_ONE -> {
        if (state.getBuffered() == null) {
          record(state, new FireBuffered(nominal, previous), now, effects);
        } else {
          record(state, new FireSkipped(nominal, "previous mission " + previous + " still running and the fire of "
              + state.getBuffered() + " already waits for it"), now, effects);
        }
      }
      case CANCEL_RUNNING -> {
        effects.add(new ScheduleEffect.Cancel(previous, "schedule '" + spec.name() + "' fired again (overlap cancel_running)"));
        fire(spec, state, nominal, catchUp, null, previous, spec.params(), now, effects);
      }
      default -> record(state, new FireSkipped(nominal, "previous mission " + previous + " still running"), now, effects);
    }
  }

  private void fire(ScheduleSpec spec, ScheduleState state, Instant nominal, boolean catchUp, String manual,
      Map<String, String> params, Instant now, List<ScheduleEffect> effects) {
    fire(spec, state, nominal, catchUp, manual, null, params, now, effects);
  }

  private void fire(ScheduleSpec spec, ScheduleState state, Instant nominal, boolean catchUp, String manual,
      String cancelled, Map<String, String> params, Instant now, List<ScheduleEffect> effects) {
    String missionId = manual == null ? MissionIds.forFire(spec.name(), nominal) : MissionIds.forManualFire(spec.name(), nominal);
    record(state, new ScheduleFired(nominal, missionId, catchUp, manual, cancelled), now, effects);
    effects.add(new ScheduleEffect.Start(missionId, spec.plan(), params));
  }

  /** Nominal times after {@code from} whose jittered due time has come, oldest first. */
  private static List<Instant> due(ScheduleSpec spec, Instant from, Instant now) {
    List<Instant> due = new ArrayList<>();
    Optional<Instant> next = spec.nominalAfter(from);
    while (next.isPresent() && !spec.dueAt(next.get()).isAfter(now) && due.size() < MAX_FIRES_PER_DECISION) {
      due.add(next.get());
      next = spec.nominalAfter(next.get());
    }
    return due;
  }

  /**
   * An operator's pause, resume or fire-now.
   *
   * @param at the command's time, its sender's clock: the time of its answer, and of a fire-now
   * @param readAt when the scheduler read it, on its own clock: a resume takes up the schedule's
   *     times from here, so a sender's clock that runs slow or fast neither reruns the pause's fires
   *     nor skips the next ones
   */
  public List<ScheduleEffect> command(ScheduleState state, ScheduleCommand command, Instant at, Instant readAt) {
    List<ScheduleEffect> effects = new ArrayList<>();
    String by = command.getIssuedBy().getId();
    Object payload = command.getCommand();
    String input = payload.getClass().getSimpleName() + " by " + by;
    if (state == null || state.getDefinition() == null) {
      effects.add(new ScheduleEffect.Log(new ScheduleCommandRejected(input,
          "Expected schedule '" + command.getSchedule() + "' to exist, but it is unknown")));
      return effects;
    }
    if (payload instanceof PauseSchedule pause) {
      record(state, new SchedulePaused(by, pause.getReason()), at, effects);
    } else if (payload instanceof ResumeSchedule) {
      if (state.getPausedBy() == null) {
        record(state, new ScheduleCommandRejected(input, "Expected schedule '" + state.getSchedule()
            + "' to be paused by a command, but it is " + (paused(state) ? "paused in the schedules file" : "not paused")),
            at, effects);
      } else {
        resume(state, by, readAt, effects);
      }
    } else if (payload instanceof TriggerSchedule trigger) {
      ScheduleSpec spec = spec(state.getDefinition());
      Map<String, String> params = new HashMap<>(spec.params());
      params.putAll(trigger.getParams());
      fire(spec, state, at, false, by, params, at, effects);
    } else {
      record(state, new ScheduleCommandRejected(input, "Expected a known schedule command, but got "
          + payload.getClass().getName()), at, effects);
    }
    return effects;
  }

  /**
   * A new definition from the schedules file, read at {@code at} on the scheduler's clock: a change
   * of {@code paused} is a pause or resume by the file; the rest takes effect from the next tick on,
   * without refiring what was handled. New timing ({@link #timingChanged}) counts from {@code at}:
   * what the old timing owed by then is decided under it first, and the new one's times before the
   * edit were never due, so they neither run as catch-up nor count as missed. Paused, the old
   * timing's times due by the edit are kept in {@code firesWhilePaused} for the resume to count.
   */
  public List<ScheduleEffect> redefine(ScheduleState state, Schedule definition, Instant at) {
    List<ScheduleEffect> effects = new ArrayList<>();
    boolean wasPaused = paused(state);
    Schedule before = state.getDefinition();
    if (before != null && timingChanged(before, definition)) {
      effects.addAll(tick(state, at));
      if (wasPaused) {
        state.setFiresWhilePaused(state.getFiresWhilePaused() + due(spec(before), state.getHandledUntil(), at).size());
      }
      if (at.isAfter(state.getHandledUntil())) {
        state.setHandledUntil(at);
      }
    }
    compiled.remove(state.getSchedule());
    state.setDefinition(definition);
    if (before != null && !before.getPaused() && definition.getPaused()) {
      record(state, new SchedulePaused(FILE, null), at, effects);
    } else if (wasPaused && !paused(state)) {
      resume(state, FILE, at, effects);
    }
    return effects;
  }

  /** Whether {@code after} fires at other times than {@code before}: cron, interval, zone, jitter or bounds. */
  static boolean timingChanged(Schedule before, Schedule after) {
    return !Objects.equals(before.getCron(), after.getCron())
        || !Objects.equals(before.getTimeZone(), after.getTimeZone())
        || !Objects.equals(before.getEveryMs(), after.getEveryMs())
        || before.getJitterMs() != after.getJitterMs()
        || !Objects.equals(before.getStartAt(), after.getStartAt())
        || !Objects.equals(before.getEndAt(), after.getEndAt());
  }

  /** Counts the pause's fires: those of timings edited since, and the current timing's from the last edit on. */
  private void resume(ScheduleState state, String by, Instant at, List<ScheduleEffect> effects) {
    long skipped = state.getFiresWhilePaused() + due(spec(state.getDefinition()), state.getHandledUntil(), at).size();
    record(state, new ScheduleResumed(by, skipped), at, effects);
  }

  private static void record(ScheduleState state, Object event, Instant at, List<ScheduleEffect> effects) {
    ScheduleAppliers.apply(state, event, at);
    effects.add(new ScheduleEffect.Log(event));
  }

  private ScheduleSpec spec(Schedule definition) {
    return compiled.computeIfAbsent(definition.getName(), name -> ScheduleSpec.of(definition));
  }

  /** Forgets compiled schedules, e.g. one removed from the file. */
  public void forget(String schedule) {
    compiled.remove(schedule);
  }
}
