package io.groundcontrol.client;

import io.groundcontrol.mission.MissionIds;
import io.groundcontrol.schema.PauseSchedule;
import io.groundcontrol.schema.ResumeSchedule;
import io.groundcontrol.schema.TriggerSchedule;
import java.time.Instant;

/**
 * What to tell an operator whose schedule command Kafka did not take: it may still be written and
 * decided, and whether sending it again is safe. A pause or resume is (the scheduler pauses a
 * paused schedule again, and refuses to resume a running one); a fire-now is not, since each starts
 * a mission of its own, named by when it was issued.
 */
final class ScheduleCommandOutcome {
  private ScheduleCommandOutcome() {}

  /** The command as a phrase: {@code pause of schedule 'nightly'}. */
  static String what(String schedule, Object command) {
    return kind(command) + " of schedule '" + schedule + "'";
  }

  /** Whether it may still land and whether sending it again is safe, in sentences. */
  static String afterwards(String schedule, Object command, Instant issuedAt) {
    if (command instanceof TriggerSchedule) {
      return "It may still be written and start mission '" + MissionIds.forManualFire(schedule, issuedAt)
          + "': look for that mission before firing again, as another fire-now starts another mission";
    }
    return "It may still be written and decided: sending it again is safe (see the schedule for what was decided)";
  }

  private static String kind(Object command) {
    if (command instanceof PauseSchedule) {
      return "pause";
    }
    if (command instanceof ResumeSchedule) {
      return "resume";
    }
    return command instanceof TriggerSchedule ? "fire-now" : command.getClass().getSimpleName();
  }
}
