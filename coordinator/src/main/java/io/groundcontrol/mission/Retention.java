package io.groundcontrol.mission;

import io.groundcontrol.schema.MissionForgotten;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Forgets ended missions: one that has not changed for the retention period is removed from the
 * coordinator's stores, by a {@code MissionForgotten} event (so that replay drops it too) and a
 * {@link Effect.ForgetMission}. Its history stays in the log, as long as the topic keeps it. The
 * period counts from the mission's last change, so a late report rejected after the end, or a
 * resume, puts it off. The coordinator asks with a {@link TimerFired.Kind#FORGET} input for each
 * candidate its sweep finds, due at the time up to which it has read its input; nothing is set
 * per mission while it runs.
 */
final class Retention {
  private final Duration period;

  /** @param period how long an ended mission is kept after its last change; zero: for ever */
  Retention(Duration period) {
    this.period = period;
  }

  /**
   * Forgets the mission if it has ended and had not changed for the period by {@code readUpTo},
   * the time up to which the coordinator has read every input; else nothing.
   */
  void decide(ProcessingContext context, Instant readUpTo) {
    Optional<MissionView> found = context.mission().filter(MissionView::hasEnded);
    if (found.isEmpty() || period.isZero() || found.get().updatedAt().plus(period).isAfter(readUpTo)) {
      return;
    }
    MissionView mission = found.get();
    context.emit(new Effect.ForgetMission(mission.missionId(), mission.planName(), mission.startedAt(), mission.status()));
    context.append(new MissionForgotten(period.toMillis(), mission.status()));
  }
}
