package io.groundcontrol.mission;

import io.groundcontrol.schema.MissionEvent;
import io.groundcontrol.schema.StageFailed;
import io.groundcontrol.schema.StageFinished;
import io.groundcontrol.schema.StageDispatched;
import io.groundcontrol.schema.StageRetryScheduled;
import io.groundcontrol.schema.StageStarted;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The timers a decision calls for; they come back as {@link TimerFired} inputs when due. */
public final class Timers {
  /** Heartbeat intervals without a heartbeat after which a running attempt's worker counts as lost. */
  public static final int MISSED_HEARTBEATS = 3;

  private Timers() {}

  /**
   * A start timer per dispatch of a stage with a start timeout, a timeout per start of a stage with
   * a timeout (counted from when the worker started; none for an attempt whose outcome came in the
   * same decision), a timer per scheduled retry, and a liveness timer per start by a heartbeating
   * worker.
   */
  public static List<TimerFired> toSet(Decision decision, PlanLookup plans) {
    List<TimerFired> timers = new ArrayList<>();
    for (MissionEvent event : decision.events()) {
      Object e = event.getEvent();
      if (e instanceof StageDispatched dispatched) {
        plan(decision, plans).flatMap(p -> p.startTimeout(dispatched.getStage()))
            .ifPresent(limit -> timers.add(new TimerFired(event.getMissionId(), dispatched.getStage(),
                dispatched.getAttempt(), TimerFired.Kind.START_TIMEOUT, event.getTimestamp().plus(limit))));
      } else if (e instanceof StageRetryScheduled retry) {
        timers.add(new TimerFired(
            event.getMissionId(), retry.getStage(), retry.getAttempt(), TimerFired.Kind.RETRY, retry.getDueAt()));
      } else if (e instanceof StageStarted started) {
        Instant startedAt = started.getStartedAt() != null ? started.getStartedAt() : event.getTimestamp();
        if (!endedInSameDecision(decision, started)) {
          plan(decision, plans).flatMap(p -> p.timeout(started.getStage()))
              .ifPresent(limit -> timers.add(new TimerFired(event.getMissionId(), started.getStage(),
                  started.getAttempt(), TimerFired.Kind.TIMEOUT, startedAt.plus(limit))));
        }
        if (started.getHeartbeatIntervalMs() != null) {
          timers.add(new TimerFired(event.getMissionId(), started.getStage(), started.getAttempt(),
              TimerFired.Kind.LIVENESS, event.getTimestamp().plus(livenessWindow(started.getHeartbeatIntervalMs()))));
        }
      }
    }
    return timers;
  }

  private static Optional<MissionPlan> plan(Decision decision, PlanLookup plans) {
    MissionView mission = decision.mission().orElseThrow();
    return plans.version(mission.planName(), mission.planVersion());
  }

  /** Whether the attempt also finished or failed in this decision: an outcome with no started report. */
  private static boolean endedInSameDecision(Decision decision, StageStarted started) {
    return decision.events().stream().map(MissionEvent::getEvent).anyMatch(e ->
        (e instanceof StageFinished f && f.getStage().equals(started.getStage()) && f.getAttempt() == started.getAttempt())
            || (e instanceof StageFailed failed && failed.getStage().equals(started.getStage())
                && failed.getAttempt() == started.getAttempt()));
  }

  /** How long a worker heartbeating every {@code intervalMs} may stay silent. */
  public static Duration livenessWindow(long intervalMs) {
    return Duration.ofMillis(intervalMs * MISSED_HEARTBEATS);
  }
}
