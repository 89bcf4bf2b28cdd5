package io.groundcontrol.schedule;

import io.groundcontrol.mission.MissionIds;
import io.groundcontrol.schema.InputRejected;
import io.groundcontrol.schema.MissionCancelled;
import io.groundcontrol.schema.MissionEvent;
import io.groundcontrol.schema.MissionFailed;
import io.groundcontrol.schema.MissionFinished;
import io.groundcontrol.schema.MissionResumed;
import io.groundcontrol.schema.MissionStarted;
import io.groundcontrol.schema.ScheduledMissionStatus;
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
    return schedule.isPresent() && statusAfter(event) != null ? schedule : Optional.empty();
  }

  /** The status a scheduled mission has after {@code event}; null if the event does not change it. */
  public static ScheduledMissionStatus statusAfter(MissionEvent event) {
    Object e = event.getEvent();
    if (e instanceof MissionStarted || e instanceof MissionResumed) {
      return ScheduledMissionStatus.RUNNING;
    } else if (e instanceof MissionFinished) {
      return ScheduledMissionStatus.FINISHED;
    } else if (e instanceof MissionFailed) {
      return ScheduledMissionStatus.FAILED;
    } else if (e instanceof MissionCancelled) {
      return ScheduledMissionStatus.CANCELLED;
    } else if (e instanceof InputRejected && event.getSequence() == 0) {
      return ScheduledMissionStatus.REJECTED;
    }
    return null;
  }
}
