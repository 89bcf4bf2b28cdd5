package io.groundcontrol.mission;

import io.groundcontrol.schema.Cause;
import io.groundcontrol.schema.InputRejected;
import io.groundcontrol.schema.MissionEvent;
import io.groundcontrol.schema.RejectionReason;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Everything one input processor may read, and the ways it may write: {@link #append}, which
 * applies the event at once (so the next decision sees its effect) and records it for the log, and
 * {@link #emit}, which records an effect for the coordinator to carry out.
 */
final class ProcessingContext {
  /**
   * How far ahead of the coordinator's clock a writer's may run and still be taken at its word.
   * Hosts kept by NTP differ by milliseconds, and a bound tighter than that would make decisions
   * depend on when the coordinator read an input, which its log does not record: an audit replay
   * could not reproduce them. A clock off by more (an hour) no longer moves a timeout or a retry
   * by more than this.
   */
  static final Duration CLOCK_SKEW_TRUSTED = Duration.ofSeconds(1);

  private final String missionId;
  private final Instant timestamp;
  private final Instant eventTime;
  private final Instant readAt;
  private final Cause cause;
  private final PlanLookup plans;
  private final ComponentLookup components;
  private final EventAppliers appliers;
  private final List<MissionEvent> written = new ArrayList<>();
  private final List<Effect> effects = new ArrayList<>();
  private Mission mission;

  /**
   * @param eventTime the time of every event decided: the input's timestamp, or later for an input
   *     whose time must not precede the mission's last event (see {@code MissionEngine})
   */
  ProcessingContext(
      String missionId, Mission mission, Instant timestamp, Instant eventTime, Instant readAt, Cause cause,
      PlanLookup plans, ComponentLookup components, EventAppliers appliers) {
    this.missionId = missionId;
    this.mission = mission;
    this.timestamp = timestamp;
    this.eventTime = eventTime;
    this.readAt = readAt;
    this.cause = cause;
    this.plans = plans;
    this.components = components;
    this.appliers = appliers;
  }

  String missionId() {
    return missionId;
  }

  Optional<MissionView> mission() {
    return Optional.ofNullable(mission);
  }

  /** The input's timestamp: what decisions count from, and the time of the events decided unless answers move it on. */
  Instant timestamp() {
    return timestamp;
  }

  /** When the coordinator read the input, on its own clock. */
  Instant readAt() {
    return readAt;
  }

  /**
   * When what this decision writes is written: the coordinator's clock as it reads the input, but
   * never before the input itself. The input may have waited long (a coordinator down or behind)
   * or come from a worker whose clock is off; a wait that starts with this decision starts here.
   */
  Instant writtenAt() {
    return readAt.isAfter(timestamp) ? readAt : timestamp;
  }

  /**
   * The latest the input can have been written: its timestamp, but never more than {@link
   * #CLOCK_SKEW_TRUSTED} after the coordinator read it. The timestamp is the writer's clock, which
   * may run ahead of the coordinator's.
   */
  Instant writtenBy() {
    Instant bound = readAt.plus(CLOCK_SKEW_TRUSTED);
    return bound.isBefore(timestamp) ? bound : timestamp;
  }

  PlanLookup plans() {
    return plans;
  }

  /** Which components are capped. */
  ComponentLookup components() {
    return components;
  }

  /** The plan version the mission runs; present once the mission started. */
  MissionPlan missionPlan() {
    return plans.version(mission.planName(), mission.planVersion())
        .orElseThrow(() -> new IllegalStateException(
            "Plan '" + mission.planName() + "' version " + mission.planVersion() + " of mission '" + missionId
                + "' is not in the plan store"));
  }

  /** Appends an accepted change: numbered, timestamped, applied, recorded. */
  void append(Object payload) {
    long sequence = mission == null ? 1 : mission.sequence() + 1;
    MissionEvent event = new MissionEvent(missionId, sequence, eventTime, cause, payload);
    mission = appliers.apply(mission, event);
    written.add(event);
  }

  /** Records something that must happen outside the mission, in the order decided. */
  void emit(Effect effect) {
    effects.add(effect);
  }

  /**
   * Records that the input was refused, of what kind and why. Nothing else changes; a mission that
   * exists gets the rejection in its numbered history, an unknown one a sequence-0 entry.
   *
   * @param message "Expected ..., but ..."
   */
  void reject(RejectionReason code, String input, String message) {
    InputRejected rejected = new InputRejected(input, message, code);
    if (mission == null) {
      written.add(new MissionEvent(missionId, 0L, eventTime, cause, rejected));
    } else {
      append(rejected);
    }
  }

  Decision decision() {
    return new Decision(Optional.ofNullable(mission), List.copyOf(written), List.copyOf(effects));
  }
}
