package io.groundcontrol.schedule;

import java.util.Map;

/** What a schedule decision calls for; the scheduler processor writes each one as a record. */
public sealed interface ScheduleEffect {
  /** An event for the schedule-events log, already applied to the schedule's state. */
  record Log(Object event) implements ScheduleEffect {}

  /** Start a mission at {@code priority}: a StartMission command to mission-commands. */
  record Start(String missionId, String plan, Map<String, String> params, int priority) implements ScheduleEffect {}

  /** Cancel a mission: a CancelMission command to mission-commands. */
  record Cancel(String missionId, String reason) implements ScheduleEffect {}
}
