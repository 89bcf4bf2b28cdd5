package io.groundcontrol.coordinator;

import io.groundcontrol.mission.PlanLookup;
import io.groundcontrol.mission.TimerFired;
import io.groundcontrol.schema.MissionCommand;
import io.groundcontrol.schema.StartMission;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Holds back a start command whose plan this instance has not seen yet. The plan store is a global
 * store, filled by its own thread: a plan applied a moment before a mission starts may not be in
 * it yet. Such a start waits, re-checked every {@link #RECHECK}, for up to {@link #GRACE} after it
 * was issued; then it is decided as it is, and rejected if the plan is still unknown.
 */
final class PlanWait {
  static final Duration GRACE = Duration.ofSeconds(5);
  static final Duration RECHECK = Duration.ofMillis(200);

  private final KeyValueStore<String, MissionCommand> parked;
  private final PlanLookup plans;

  PlanWait(KeyValueStore<String, MissionCommand> parked, PlanLookup plans) {
    this.parked = parked;
    this.plans = plans;
  }

  /**
   * Parks {@code command} if it starts a mission on a plan not known yet and its grace is not
   * over; returns the timer that will bring it back, or empty if it should be decided now.
   */
  Optional<TimerFired> park(Object input, boolean missionExists, Instant now) {
    if (missionExists || !(input instanceof MissionCommand command) || !(command.getCommand() instanceof StartMission start)
        || plans.latest(start.getPlanName()).isPresent() || !now.isBefore(command.getIssuedAt().plus(GRACE))) {
      return Optional.empty();
    }
    parked.put(command.getMissionId(), command);
    return Optional.of(new TimerFired(command.getMissionId(), "-", 0, TimerFired.Kind.PLAN_WAIT, now.plus(RECHECK)));
  }

  /** Takes back the command parked for {@code missionId}, if any. */
  Optional<MissionCommand> release(String missionId) {
    MissionCommand command = parked.get(missionId);
    if (command != null) {
      parked.delete(missionId);
    }
    return Optional.ofNullable(command);
  }
}
