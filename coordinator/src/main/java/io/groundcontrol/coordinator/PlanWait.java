package io.groundcontrol.coordinator;

import io.groundcontrol.mission.MissionIds;
import io.groundcontrol.mission.PlanLookup;
import io.groundcontrol.mission.TextLimits;
import io.groundcontrol.mission.TimerFired;
import io.groundcontrol.schema.MissionCommand;
import io.groundcontrol.schema.StartMission;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Holds back a start command whose plan this instance has not seen yet. The plan store is a global
 * store, filled by its own thread: a plan applied a moment before a mission starts may not be in
 * it yet. Such a start waits, re-checked every {@link #RECHECK}, for up to {@link #GRACE} after it
 * was issued; then it is decided as it is, and rejected if the plan is still unknown.
 *
 * <p>The waiting start is kept under its mission id. Later commands for the same id queue behind
 * it, starts whether their plan is known or not, under the mission id, a NUL and their place in the
 * queue (mission ids hold no NUL); they are decided right after it, as if the plan had been known
 * all along: the first start is the one that runs, later starts are answered by the plan's {@code
 * on_duplicate}, and a cancel, retry or other operation sent meanwhile applies to the mission the
 * start began, rather than being rejected for a mission not known yet.
 */
final class PlanWait {
  static final Duration GRACE = Duration.ofSeconds(5);
  static final Duration RECHECK = Duration.ofMillis(200);
  private static final char SEPARATOR = '\u0000';
  private static final StringSerializer PREFIX_SERIALIZER = new StringSerializer();

  private final KeyValueStore<String, MissionCommand> parked;
  private final PlanLookup plans;
  private final TimerIndex timers;

  PlanWait(KeyValueStore<String, MissionCommand> parked, PlanLookup plans, TimerIndex timers) {
    this.parked = parked;
    this.plans = plans;
    this.timers = timers;
  }

  /**
   * Holds {@code input} back if it is a command for a mission that does not exist yet and either a
   * start of it waits, or it is a start whose plan is not known yet and whose grace is not over;
   * returns whether it was held back, and so must not be decided now.
   */
  boolean park(Object input, boolean missionExists, Instant now) {
    if (missionExists || !(input instanceof MissionCommand command)
        || MissionIds.problem(command.getMissionId()).isPresent()) {
      return false;
    }
    // A start too large to run is rejected at once, neither kept nor queued: its params alone may fill a record.
    if (command.getCommand() instanceof StartMission tooLarge
        && TextLimits.paramsTooLarge(tooLarge.getParams(), "").isPresent()) {
      return false;
    }
    String missionId = command.getMissionId();
    if (parked.get(missionId) != null) {
      String prefix = missionId + SEPARATOR;
      parked.put(prefix + String.format(Locale.ROOT, "%010d", queued(prefix).size()), command);
      return true;
    }
    if (!(command.getCommand() instanceof StartMission start)) {
      return false;
    }
    if (plans.latest(start.getPlanName()).isPresent() || !now.isBefore(command.getIssuedAt().plus(GRACE))) {
      return false;
    }
    parked.put(missionId, command);
    timers.add(new TimerFired(missionId, "-", 0, TimerFired.Kind.PLAN_WAIT, now.plus(RECHECK)));
    return true;
  }

  /** Takes back the start waiting for its plan under {@code missionId}, if any. */
  Optional<MissionCommand> release(String missionId) {
    MissionCommand command = parked.get(missionId);
    if (command != null) {
      parked.delete(missionId);
    }
    return Optional.ofNullable(command);
  }

  /**
   * Takes back, in the order they came, the commands queued behind the start of {@code missionId}, once
   * that one no longer waits; none while it does.
   */
  List<MissionCommand> releaseQueued(String missionId) {
    if (parked.get(missionId) != null) {
      return List.of();
    }
    List<KeyValue<String, MissionCommand>> queued = queued(missionId + SEPARATOR);
    queued.forEach(entry -> parked.delete(entry.key));
    return queued.stream().map(entry -> entry.value).toList();
  }

  private List<KeyValue<String, MissionCommand>> queued(String prefix) {
    List<KeyValue<String, MissionCommand>> queued = new ArrayList<>();
    try (KeyValueIterator<String, MissionCommand> it = parked.prefixScan(prefix, PREFIX_SERIALIZER)) {
      it.forEachRemaining(queued::add);
    }
    return queued;
  }
}
