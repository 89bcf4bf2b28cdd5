package io.groundcontrol.schedule;

import io.groundcontrol.mission.MissionIds;
import io.groundcontrol.schema.MissionEvent;
import java.util.Optional;

/**
 * Which mission events a schedule must hear of: the start and end of its own missions, which its
 * overlap policy waits for. The missions sub-topology writes them to {@code scheduled-mission-events},
 * keyed by schedule name, in the transaction that writes them to the log. (Reading them back from
 * the log instead made the coordinator read every event it wrote, 3.7 records per stage of a
 * linear plan, for the few that concern a schedule.) For other missions the cost is one prefix
 * comparison.
 */
public final class ScheduledMissionEvents {
  private ScheduledMissionEvents() {}

  /** The schedule to tell of {@code event} of mission {@code missionId}; empty for most events. */
  public static Optional<String> scheduleToTell(String missionId, MissionEvent event) {
    Optional<String> schedule = MissionIds.scheduleOf(missionId);
    return schedule.isPresent() && SchedulerProcessor.statusAfter(event) != null ? schedule : Optional.empty();
  }
}
