package io.groundcontrol.coordinator;

import io.groundcontrol.mission.Mission;
import io.groundcontrol.mission.MissionView;
import io.groundcontrol.query.MissionIndex;
import io.groundcontrol.schema.MissionStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the ended missions whose retention may be over, for the engine to decide on: through the
 * mission index (ended statuses, ordered by start) rather than a timer set at each end, which
 * would cost every mission a write for the many that run far shorter than the period. Like
 * timers, it goes only as far as the task has surely read its input ({@link RestartBarrier}): an
 * input written before a mission's retention ran out, but not read yet (the coordinator was down
 * or behind), is decided first, so a retry or a repeated start sent in time finds the mission.
 *
 * <p>A mission that started before the cutoff may have ended since, so not every candidate is
 * due: the sweep goes through them in passes, a batch at a time, each pass going on from where the
 * last batch stopped, so missions not due yet never keep it from those behind them.
 */
final class RetentionSweep {
  /**
   * Missions offered at most per sweep: small batches often, since the stream thread forgets them
   * between inputs, so a batch delays the hand-offs waiting behind it (a forget costs about 80 us
   * of the thread's time here): 1,000 a second per partition at the 100 ms tick.
   */
  static final int BATCH = 100;
  /**
   * How far the sweep may fall behind the clock before it asks for a barrier: the resolution of
   * retention. Asking at every tick would write a barrier ten times a second, steadily, once
   * missions end all the time (a record per input topic, and a transaction of its own when the
   * task is otherwise idle).
   */
  static final Duration BARRIER_LAG = Duration.ofSeconds(1);

  private final Duration retention;
  private final MissionIndex index;
  private final MissionStore missions;
  /** Per ended status, the index key the current pass stopped at; none: a pass begins. */
  private final Map<MissionStatus, String> passAt = new EnumMap<>(MissionStatus.class);

  RetentionSweep(Duration retention, MissionIndex index, MissionStore missions) {
    this.retention = retention;
    this.index = index;
    this.missions = missions;
  }

  /**
   * The next batch of ended missions that started by {@code readUpTo} less the retention: those
   * unchanged since then are to be forgotten as of {@code readUpTo}. None when missions are kept
   * for ever.
   */
  List<Mission> candidates(Instant readUpTo) {
    if (retention.isZero()) {
      return List.of();
    }
    Instant cutoff = readUpTo.minus(retention);
    List<Mission> found = new ArrayList<>();
    for (MissionStatus status : MissionView.ENDED) {
      List<MissionIndex.Listed> listed = index.startedBy(status, cutoff, passAt.get(status), BATCH - found.size());
      if (listed.size() < BATCH - found.size() || listed.isEmpty()) {
        passAt.remove(status);
      } else {
        passAt.put(status, listed.get(listed.size() - 1).key());
      }
      for (MissionIndex.Listed entry : listed) {
        Mission mission = missions.load(entry.missionId());
        if (mission != null) {
          found.add(mission);
        }
      }
      if (found.size() >= BATCH) {
        break;
      }
    }
    return found;
  }

  /**
   * Whether the sweep should have a newer barrier: what has been read ({@code readUpTo}, empty
   * before the first barrier came back) is more than {@link #BARRIER_LAG} behind {@code now}, and
   * some ended mission started early enough for its retention to be over by then.
   */
  boolean waitsForBarrier(Instant now, Optional<Instant> readUpTo) {
    Instant by = now.minus(BARRIER_LAG);
    if (retention.isZero() || readUpTo.filter(read -> !read.isBefore(by)).isPresent()) {
      return false;
    }
    Instant cutoff = by.minus(retention);
    return MissionView.ENDED.stream().anyMatch(status -> !index.startedBy(status, cutoff, null, 1).isEmpty());
  }
}
