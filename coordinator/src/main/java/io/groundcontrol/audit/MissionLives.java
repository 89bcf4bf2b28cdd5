package io.groundcontrol.audit;

import io.groundcontrol.schema.MissionEvent;
import io.groundcontrol.schema.MissionForgotten;
import io.groundcontrol.schema.MissionStarted;
import java.util.List;
import java.util.Optional;

/**
 * A mission id's history may hold more than one mission: once a mission is forgotten (its
 * retention over, {@code MissionForgotten}), a start under the same id begins a new one, numbered
 * from 1 again. These pick out the latest.
 */
public final class MissionLives {
  private MissionLives() {}

  /** The events from the latest {@code MissionStarted} on; all of {@code events} if none started a mission. */
  public static List<MissionEvent> latest(List<MissionEvent> events) {
    for (int i = events.size() - 1; i >= 0; i--) {
      MissionEvent event = events.get(i);
      if (event.getSequence() == 1 && event.getEvent() instanceof MissionStarted) {
        return events.subList(i, events.size());
      }
    }
    return events;
  }

  /**
   * The events of a mission up to (not including) the {@code MissionForgotten} that ended it, if
   * one did: what a replay reproduces, as the copy is forgotten by its own coordinator's retention.
   */
  public static List<MissionEvent> beforeForgotten(List<MissionEvent> life) {
    for (int i = 0; i < life.size(); i++) {
      if (life.get(i).getEvent() instanceof MissionForgotten) {
        return life.subList(0, i);
      }
    }
    return life;
  }

  /**
   * The {@code MissionForgotten} that ended the latest mission of {@code events}, if it ended so
   * and no start came after it; rejections naming no mission (event 0) are passed over.
   */
  public static Optional<MissionEvent> forgotten(List<MissionEvent> events) {
    for (int i = events.size() - 1; i >= 0; i--) {
      MissionEvent event = events.get(i);
      if (event.getSequence() > 0) {
        return Optional.of(event).filter(e -> e.getEvent() instanceof MissionForgotten);
      }
    }
    return Optional.empty();
  }
}
