package io.groundcontrol.bench;

import io.groundcontrol.schema.Actor;
import io.groundcontrol.schema.CauseKind;
import io.groundcontrol.schema.InputRejected;
import io.groundcontrol.schema.MissionCancelled;
import io.groundcontrol.schema.MissionEvent;
import io.groundcontrol.schema.MissionFailed;
import io.groundcontrol.schema.MissionFinished;
import io.groundcontrol.schema.MissionStarted;
import io.groundcontrol.schema.StageFinished;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a benchmark counts in the mission-events log. The driver sends nothing but starts, so a
 * sequence-0 rejection of one of its own commands is a refused start: a mission that ended without
 * starting, counted once, as a rejection. Any other rejection (a late report on a mission the
 * coordinator's retention forgot, say) is a rejection only, not a mission that ended.
 */
final class EventCounts {
  private final Actor driver;
  private final AtomicLong stagesFinished = new AtomicLong();
  private final AtomicLong missionsStarted = new AtomicLong();
  private final AtomicLong missionsEnded = new AtomicLong();
  private final AtomicLong missionsFailed = new AtomicLong();
  private final AtomicLong rejections = new AtomicLong();

  /** @param driver the actor the driver's start commands name */
  EventCounts(Actor driver) {
    this.driver = driver;
  }

  /** Counts {@code event}; returns whether it ended a mission: finished, failed, cancelled, or its start refused. */
  boolean count(MissionEvent event) {
    Object payload = event.getEvent();
    if (payload instanceof StageFinished) {
      stagesFinished.incrementAndGet();
      return false;
    }
    if (payload instanceof MissionStarted) {
      missionsStarted.incrementAndGet();
      return false;
    }
    if (payload instanceof InputRejected) {
      rejections.incrementAndGet();
      return refusedStart(event) && ended();
    }
    if (payload instanceof MissionFailed || payload instanceof MissionCancelled) {
      missionsFailed.incrementAndGet();
      return ended();
    }
    return payload instanceof MissionFinished && ended();
  }

  private boolean ended() {
    missionsEnded.incrementAndGet();
    return true;
  }

  private boolean refusedStart(MissionEvent event) {
    return event.getSequence() == 0 && event.getCause().getKind() == CauseKind.COMMAND
        && driver.getId().equals(event.getCause().getActor().getId());
  }

  long stagesFinished() {
    return stagesFinished.get();
  }

  /** {@code MissionStarted} events. */
  long missionsStarted() {
    return missionsStarted.get();
  }

  /** Missions that ended, however they ended, or whose start was refused. */
  long missionsEnded() {
    return missionsEnded.get();
  }

  /** Missions that ended FAILED or CANCELLED; a no-op benchmark expects none. */
  long missionsFailed() {
    return missionsFailed.get();
  }

  /** Inputs the coordinator rejected, refused starts included; a benchmark expects none. */
  long rejections() {
    return rejections.get();
  }
}
