package io.groundcontrol.schedule;

import io.groundcontrol.schema.FireBuffered;
import io.groundcontrol.schema.FireSkipped;
import io.groundcontrol.schema.FiresMissed;
import io.groundcontrol.schema.ScheduleCommandRejected;
import io.groundcontrol.schema.ScheduleFired;
import io.groundcontrol.schema.SchedulePaused;
import io.groundcontrol.schema.ScheduleResumed;
import io.groundcontrol.schema.ScheduleState;
import io.groundcontrol.schema.ScheduledMissionStatus;
import java.time.Instant;

/**
 * The only code that changes a schedule's state for its own decisions: one case per schedule event.
 * (The definition and the status of the last mission are copies of their own logs, the schedules
 * topic and the mission log, and are set where those are read; so is where a new or re-timed
 * definition starts counting, what a paused schedule's old timing had due before a re-timing, and
 * the last time a resume counted, which its event, a count, does not name.)
 */
final class ScheduleAppliers {
  private ScheduleAppliers() {}

  static void apply(ScheduleState state, Object event) {
    if (event instanceof ScheduleFired fired) {
      if (fired.getManual() == null) {
        advance(state, fired.getNominalTime());
      }
      if (state.getBuffered() != null && state.getBuffered().equals(fired.getNominalTime())) {
        state.setBuffered(null);
      }
      state.setLastMissionId(fired.getMissionId());
      state.setLastMissionStatus(ScheduledMissionStatus.STARTING);
    } else if (event instanceof FireSkipped skipped) {
      advance(state, skipped.getNominalTime());
    } else if (event instanceof FireBuffered buffered) {
      advance(state, buffered.getNominalTime());
      state.setBuffered(buffered.getNominalTime());
    } else if (event instanceof FiresMissed missed) {
      advance(state, missed.getLast());
    } else if (event instanceof SchedulePaused paused) {
      if (!paused.getBy().equals(ScheduleDecider.FILE)) {
        state.setPausedBy(paused.getBy());
        state.setPauseReason(paused.getReason());
      }
    } else if (event instanceof ScheduleResumed resumed) {
      if (!resumed.getBy().equals(ScheduleDecider.FILE)) {
        state.setPausedBy(null);
        state.setPauseReason(null);
      }
      state.setFiresWhilePaused(0L);
    } else if (!(event instanceof ScheduleCommandRejected)) {
      throw new IllegalStateException("No schedule applier for " + event.getClass().getName());
    }
  }

  private static void advance(ScheduleState state, Instant to) {
    if (to.isAfter(state.getHandledUntil())) {
      state.setHandledUntil(to);
    }
  }
}
