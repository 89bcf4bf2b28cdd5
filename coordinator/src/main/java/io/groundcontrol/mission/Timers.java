package io.groundcontrol.mission;

import io.groundcontrol.schema.MissionEvent;
import io.groundcontrol.schema.StageDispatched;
import io.groundcontrol.schema.StageRetryScheduled;
import io.groundcontrol.schema.StageStarted;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The timers a decision calls for; they come back as {@link TimerFired} inputs when due. */
public final class Timers {
  /** Heartbeat intervals without a heartbeat after which a running attempt's worker counts as lost. */
  public static final int MISSED_HEARTBEATS = 3;

  private Timers() {}

  /** A timer per dispatch with a timeout, per scheduled retry, and per start by a heartbeating worker. */
  public static List<TimerFired> toSet(Decision decision, PlanLookup plans) {
    List<TimerFired> timers = new ArrayList<>();
    for (MissionEvent event : decision.events()) {
      Object e = event.getEvent();
      if (e instanceof StageDispatched dispatched) {
        MissionView mission = decision.mission().orElseThrow();
        plans.version(mission.planName(), mission.planVersion()).flatMap(p -> p.timeout(dispatched.getStage()))
            .ifPresent(timeout -> timers.add(new TimerFired(event.getMissionId(), dispatched.getStage(),
                dispatched.getAttempt(), TimerFired.Kind.TIMEOUT, event.getTimestamp().plus(timeout))));
      } else if (e instanceof StageRetryScheduled retry) {
        timers.add(new TimerFired(
            event.getMissionId(), retry.getStage(), retry.getAttempt(), TimerFired.Kind.RETRY, retry.getDueAt()));
      } else if (e instanceof StageStarted started && started.getHeartbeatIntervalMs() != null) {
        timers.add(new TimerFired(event.getMissionId(), started.getStage(), started.getAttempt(),
            TimerFired.Kind.LIVENESS, event.getTimestamp().plus(livenessWindow(started.getHeartbeatIntervalMs()))));
      }
    }
    return timers;
  }

  /** How long a worker heartbeating every {@code intervalMs} may stay silent. */
  public static Duration livenessWindow(long intervalMs) {
    return Duration.ofMillis(intervalMs * MISSED_HEARTBEATS);
  }
}
