package io.groundcontrol.schedule;

import io.groundcontrol.mission.MissionIds;
import io.groundcontrol.schema.FireBuffered;
import io.groundcontrol.schema.FireSkipped;
import io.groundcontrol.schema.FiresMissed;
import io.groundcontrol.schema.OverlapPolicy;
import io.groundcontrol.schema.PauseSchedule;
import io.groundcontrol.schema.ReadPosition;
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
  /** Most fires one decision runs (a catch-up can owe more); the rest wait for the next tick. Counts are whole. */
  static final int MAX_FIRES_PER_DECISION = 100_000;

  private final Map<String, ScheduleSpec> compiled = new HashMap<>();
  private final ReadPositions positions;

  /** A decider for exactly-once: no command is ever read again. */
  public ScheduleDecider() {
    this(ReadPositions.EXACTLY_ONCE);
  }

  ScheduleDecider(ReadPositions positions) {
    this.positions = positions;
  }

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

  /**
   * The fires due by {@code now}: buffered, on time, and missed ones by the catch-up policy. Missed
   * fires are counted, not listed, so one {@code FiresMissed} records any outage; at most
   * {@link #MAX_FIRES_PER_DECISION} fires run, the rest at the next tick.
   */
  public List<ScheduleEffect> tick(ScheduleState state, Instant now) {
    List<ScheduleEffect> effects = new ArrayList<>();
    if (state.getDefinition() == null || paused(state)) {
      return effects;
    }
    ScheduleSpec spec = spec(state.getDefinition());
    if (state.getBuffered() != null && !lastMissionRunning(state)) {
      fire(spec, state, state.getBuffered(), false, null, spec.params(), effects);
    }
    Optional<Instant> next = spec.nominalAfter(state.getHandledUntil());
    if (next.isEmpty() || spec.dueAt(next.get()).isAfter(now)) {
      return effects;
    }
    FireTimes.Span due = spec.due(state.getHandledUntil(), now, true);
    // A prefix of the due ones: with a jitter longer than a cron's gap, a later fire can fall due
    // before an earlier one, and it waits for it (fires go in nominal order), which is no miss.
    FireTimes.Span missed = spec.due(state.getHandledUntil(), now.minus(ScheduleSpec.MISFIRE_THRESHOLD), false);
    long budget = MAX_FIRES_PER_DECISION - (missed.isEmpty() ? 0 : catchUp(spec, state, missed, now, effects));
    next = spec.nominalAfter(state.getHandledUntil());
    for (; budget > 0 && next.isPresent() && !next.get().isAfter(due.last()); budget--) {
      onOverlap(spec, state, next.get(), false, effects);
      next = spec.nominalAfter(next.get());
    }
    return effects;
  }

  /**
   * Runs the missed fires the catch-up policy allows, the newest {@code max} within the window
   * (the oldest of them first, and no more than one decision's worth), and records the rest in one
   * {@code FiresMissed}.
   *
   * @return how many fires it ran
   */
  private long catchUp(ScheduleSpec spec, ScheduleState state, FireTimes.Span missed, Instant now,
      List<ScheduleEffect> effects) {
    Instant from = state.getHandledUntil();
    Instant windowStart = now.minus(spec.catchUpWindow());
    long inWindow = spec.catchUpWindow().isZero() ? 0
        : spec.span(windowStart.isAfter(from) ? windowStart.minusMillis(1) : from, missed.last()).count();
    long runs = Math.min(spec.catchUpMax(), inWindow);
    long dropped = missed.count() - runs;
    if (dropped > 0) {
      String reason = spec.catchUpWindow().isZero()
          ? "missed while no scheduler ran; catch_up is off"
          : "missed while no scheduler ran; outside catch_up (window " + spec.catchUpWindow() + ", at most "
              + spec.catchUpMax() + ")";
      Instant last = spec.nth(from, dropped).orElseThrow();
      record(state, new FiresMissed(missed.first(), last, dropped, reason), effects);
    }
    long ran = Math.min(runs, MAX_FIRES_PER_DECISION);
    Optional<Instant> next = spec.nominalAfter(state.getHandledUntil());
    for (long i = 0; i < ran; i++) {
      onOverlap(spec, state, next.orElseThrow(), true, effects);
      next = spec.nominalAfter(next.get());
    }
    return ran;
  }

  /** One due fire, by the overlap policy when the last mission still runs. */
  private void onOverlap(ScheduleSpec spec, ScheduleState state, Instant nominal, boolean catchUp,
      List<ScheduleEffect> effects) {
    String previous = state.getLastMissionId();
    if (!lastMissionRunning(state) || spec.overlap() == OverlapPolicy.ALLOW) {
      fire(spec, state, nominal, catchUp, null, spec.params(), effects);
      return;
    }
    switch (spec.overlap()) {
      case BUFFER_ONE -> {
        if (state.getBuffered() == null) {
          record(state, new FireBuffered(nominal, previous), effects);
        } else {
          record(state, new FireSkipped(nominal, "previous mission " + previous + " still running and the fire of "
              + state.getBuffered() + " already waits for it"), effects);
        }
      }
      case CANCEL_RUNNING -> {
        effects.add(new ScheduleEffect.Cancel(previous, "schedule '" + spec.name() + "' fired again (overlap cancel_running)"));
        fire(spec, state, nominal, catchUp, null, previous, spec.params(), spec.priority(), effects);
      }
      default -> record(state, new FireSkipped(nominal, "previous mission " + previous + " still running"), effects);
    }
  }

  private void fire(ScheduleSpec spec, ScheduleState state, Instant nominal, boolean catchUp, String manual,
      Map<String, String> params, List<ScheduleEffect> effects) {
    fire(spec, state, nominal, catchUp, manual, null, params, spec.priority(), effects);
  }

  private void fire(ScheduleSpec spec, ScheduleState state, Instant nominal, boolean catchUp, String manual,
      String cancelled, Map<String, String> params, int priority, List<ScheduleEffect> effects) {
    String missionId = manual == null ? MissionIds.forFire(spec.name(), nominal) : MissionIds.forManualFire(spec.name(), nominal);
    record(state, new ScheduleFired(nominal, missionId, catchUp, manual, cancelled), effects);
    effects.add(new ScheduleEffect.Start(missionId, spec.plan(), params, priority));
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
    return command(state, command, at, readAt, null);
  }

  /**
   * As {@link #command(ScheduleState, ScheduleCommand, Instant, Instant)}, for the command at
   * {@code position} of its input (null: unknown). One read before (at-least-once) changes nothing:
   * its pause, resume or fire was applied and logged; a fire-now's start is only sent again, in case
   * the crash came before it was, and its id makes that idempotent.
   */
  List<ScheduleEffect> command(ScheduleState state, ScheduleCommand command, Instant at, Instant readAt,
      ReadPosition position) {
    List<ScheduleEffect> effects = new ArrayList<>();
    if (state != null && positions.readBefore(state.getCommandsReadTo(), position)) {
      if (state.getDefinition() != null && command.getCommand() instanceof TriggerSchedule trigger) {
        effects.add(manualStart(spec(state.getDefinition()), trigger, at));
      }
      return effects;
    }
    if (state != null) {
      state.setCommandsReadTo(ReadPositions.after(state.getCommandsReadTo(), position));
    }
    String by = command.getIssuedBy().getId();
    Object payload = command.getCommand();
    String input = payload.getClass().getSimpleName() + " by " + by;
    if (state == null || state.getDefinition() == null) {
      effects.add(new ScheduleEffect.Log(new ScheduleCommandRejected(input,
          "Expected schedule '" + command.getSchedule() + "' to exist, but it is unknown")));
      return effects;
    }
    if (payload instanceof PauseSchedule pause) {
      record(state, new SchedulePaused(by, pause.getReason()), effects);
    } else if (payload instanceof ResumeSchedule) {
      if (state.getPausedBy() == null) {
        record(state, new ScheduleCommandRejected(input, "Expected schedule '" + state.getSchedule()
            + "' to be paused by a command, but it is " + (paused(state) ? "paused in the schedules file" : "not paused")),
            effects);
      } else {
        resume(state, by, readAt, effects);
      }
    } else if (payload instanceof TriggerSchedule trigger) {
      ScheduleSpec spec = spec(state.getDefinition());
      ScheduleEffect.Start start = manualStart(spec, trigger, at);
      if (start.missionId().equals(state.getLastMissionId())) {
        // Read again (at-least-once) with no position to tell (a state from before positions were
        // kept): its fire is recorded, and recording it anew would take the mission, which may have
        // ended since, for starting.
        effects.add(start);
      } else {
        fire(spec, state, at, false, by, null, start.params(), start.priority(), effects);
      }
    } else {
      record(state, new ScheduleCommandRejected(input, "Expected a known schedule command, but got "
          + payload.getClass().getName()), effects);
    }
    return effects;
  }

  /** A fire-now's start: the schedule's params and priority, overridden by the command's. */
  private static ScheduleEffect.Start manualStart(ScheduleSpec spec, TriggerSchedule trigger, Instant at) {
    Map<String, String> params = new HashMap<>(spec.params());
    params.putAll(trigger.getParams());
    int priority = trigger.getPriority() != null ? trigger.getPriority() : spec.priority();
    return new ScheduleEffect.Start(MissionIds.forManualFire(spec.name(), at), spec.plan(), params, priority);
  }

  /**
   * A new definition from the schedules file, read at {@code at} on the scheduler's clock: a change
   * of {@code paused} is a pause or resume by the file; the rest takes effect from the next tick on,
   * without refiring what was handled. New timing ({@link #timingChanged}) counts from {@code at}:
   * the old timing's times up to then are decided under it first, and the new one's times before
   * the edit were never due, so they neither run as catch-up nor count as missed. Paused, the old
   * timing's times up to the edit are kept in {@code firesWhilePaused} for the resume to count.
   */
  public List<ScheduleEffect> redefine(ScheduleState state, Schedule definition, Instant at) {
    List<ScheduleEffect> effects = new ArrayList<>();
    boolean wasPaused = paused(state);
    Schedule before = state.getDefinition();
    if (before != null && timingChanged(before, definition)) {
      effects.addAll(tick(state, at));
      FireTimes.Span left = spec(before).span(state.getHandledUntil(), at);
      if (wasPaused) {
        state.setFiresWhilePaused(state.getFiresWhilePaused() + left.count());
      } else if (!left.isEmpty()) {
        runBeforeDue(spec(before), state, left, effects);
      }
      if (at.isAfter(state.getHandledUntil())) {
        state.setHandledUntil(at);
      }
    }
    compiled.remove(state.getSchedule());
    state.setDefinition(definition);
    if (before != null && !before.getPaused() && definition.getPaused()) {
      record(state, new SchedulePaused(FILE, null), effects);
    } else if (wasPaused && !paused(state)) {
      resume(state, FILE, at, effects);
    }
    return effects;
  }

  /**
   * Runs the old timing's times up to an edit that are not due yet (or wait behind one that is
   * not): the new timing cannot name them, so they run now, their jitter cut short. More than one
   * decision runs (only after a catch-up that large) are recorded as missed instead.
   */
  private void runBeforeDue(ScheduleSpec old, ScheduleState state, FireTimes.Span left, List<ScheduleEffect> effects) {
    Optional<Instant> next = old.nominalAfter(state.getHandledUntil());
    for (long i = 0; i < Math.min(left.count(), MAX_FIRES_PER_DECISION); i++) {
      onOverlap(old, state, next.orElseThrow(), false, effects);
      next = old.nominalAfter(next.get());
    }
    if (left.count() > MAX_FIRES_PER_DECISION) {
      record(state, new FiresMissed(next.orElseThrow(), left.last(), left.count() - MAX_FIRES_PER_DECISION,
          "not run before the schedule's timing changed"), effects);
    }
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

  /**
   * Counts the pause's fires: those of timings edited since, and the current timing's due by
   * {@code at} from the last edit on. A fire of the pause's nominal times that its jitter makes due
   * after {@code at} is not the pause's: it stays to come, and runs when due.
   */
  private void resume(ScheduleState state, String by, Instant at, List<ScheduleEffect> effects) {
    FireTimes.Span fell = spec(state.getDefinition()).due(state.getHandledUntil(), at, true);
    if (!fell.isEmpty()) {
      state.setHandledUntil(fell.last());
    }
    record(state, new ScheduleResumed(by, state.getFiresWhilePaused() + fell.count()), effects);
  }

  private static void record(ScheduleState state, Object event, List<ScheduleEffect> effects) {
    ScheduleAppliers.apply(state, event);
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
