package io.groundcontrol.cli;

import io.groundcontrol.schedule.ScheduleDecider;
import io.groundcontrol.schema.Schedule;
import io.groundcontrol.schema.ScheduleEvent;
import io.groundcontrol.schema.ScheduleFired;
import io.groundcontrol.schema.SchedulePaused;
import io.groundcontrol.schema.ScheduleResumed;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Schedules as {@code schedule list} rebuilds them without the API: definitions from the schedules
 * topic, last mission and pause from the schedule log. A schedule removed and applied again starts
 * afresh in the scheduler, so only its events since that apply count; the removal is known from
 * its tombstone, as long as the schedules topic keeps it (compaction drops it in time).
 */
final class ScheduleRebuild {
  /** What the schedule log says of one schedule. */
  static final class Seen {
    String lastMission;
    Instant firedAt;
    String pause;
  }

  private final Map<String, Schedule> schedules = new LinkedHashMap<>();
  private final Set<String> removed = new HashSet<>();
  private final Map<String, Instant> appliedAfterRemoval = new HashMap<>();
  private final Map<String, Seen> seen = new HashMap<>();

  /** The next record of the schedules topic (in order per name), written at {@code at}; null: removed. */
  void definition(String name, Schedule schedule, Instant at) {
    if (schedule == null) {
      schedules.remove(name);
      removed.add(name);
      appliedAfterRemoval.remove(name);
      return;
    }
    if (removed.remove(name)) {
      appliedAfterRemoval.put(name, at);
    }
    schedules.put(name, schedule);
  }

  /** The next event of the schedule log (in order per name), read after the whole schedules topic. */
  void event(ScheduleEvent event) {
    Instant since = appliedAfterRemoval.get(event.getSchedule());
    if (since != null && event.getTimestamp().isBefore(since)) {
      return;
    }
    Seen s = seen.computeIfAbsent(event.getSchedule(), k -> new Seen());
    if (event.getEvent() instanceof ScheduleFired fired) {
      s.lastMission = fired.getMissionId();
      s.firedAt = event.getTimestamp();
    } else if (event.getEvent() instanceof SchedulePaused paused && !paused.getBy().equals(ScheduleDecider.FILE)) {
      s.pause = paused.getBy() + (paused.getReason() == null ? "" : ": " + paused.getReason());
    } else if (event.getEvent() instanceof ScheduleResumed resumed && !resumed.getBy().equals(ScheduleDecider.FILE)) {
      s.pause = null;
    }
  }

  /** The schedules now applied, by name. */
  Map<String, Schedule> schedules() {
    return schedules;
  }

  /** What the log says of each schedule, by name. */
  Map<String, Seen> seen() {
    return seen;
  }
}
