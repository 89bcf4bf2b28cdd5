package io.groundcontrol.coordinator;

import io.groundcontrol.mission.Mission;
import io.groundcontrol.query.MissionIndex;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds the ended missions whose retention may be over, for the engine to decide on: through the
 * mission index (ended statuses, ordered by start) rather than a timer set at each end, which
 * would cost every mission a write for the many that run far shorter than the period. Like
 * timers, it goes only as far as the task has surely read its input ({@link RestartBarrier}): an
 * input written before a mission's retention ran out, but not read yet (the coordinator was down
 * or behind), is decided first, so a retry or a repeated start sent in time finds the mission.
 */
final class RetentionSweep {
  /**
   * Missions offered at most per sweep: small batches often, since the stream thread forgets them
   * between inputs, so a batch delays the hand-offs waiting behind it (2,000 a second per
   * partition at the 100 ms tick).
   */
  static final int BATCH = 200;
  /** Candidates looked at to tell whether the sweep waits for a barrier. */
  private static final int LOOKED_AT_FOR_BARRIER = 10;

  private final Duration retention;
  private final MissionIndex index;
  private final MissionStore missions;

  RetentionSweep(Duration retention, MissionIndex index, MissionStore missions) {
    this.retention = retention;
    this.index = index;
    this.missions = missions;
  }

  /**
   * Up to a batch of ended missions that started by {@code readUpTo} less the retention: those
   * unchanged since then are to be forgotten as of {@code readUpTo}. None when missions are kept
   * for ever.
   */
  List<Mission> candidates(Instant readUpTo) {
    if (retention.isZero()) {
      return List.of();
    }
    List<Mission> found = new ArrayList<>();
    for (String id : index.endedStartedBy(readUpTo.minus(retention), BATCH)) {
      Mission mission = missions.load(id);
      if (mission != null) {
        found.add(mission);
      }
    }
    return found;
  }

  /**
   * Whether some mission's retention is over by {@code now} but not as of what has been read
   * ({@code readUpTo}, empty before the first barrier came back): a new barrier lets the sweep
   * reach it.
   */
  boolean waitsForBarrier(Instant now, Optional<Instant> readUpTo) {
    if (retention.isZero()) {
      return false;
    }
    for (String id : index.endedStartedBy(now.minus(retention), LOOKED_AT_FOR_BARRIER)) {
      Mission mission = missions.load(id);
      if (mission != null) {
        Instant over = mission.updatedAt().plus(retention);
        if (!over.isAfter(now) && readUpTo.map(over::isAfter).orElse(true)) {
          return true;
        }
      }
    }
    return false;
  }
}
