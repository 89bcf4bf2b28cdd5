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
      if (startsALife(events.get(i))) {
        return events.subList(i, events.size());
      }
    }
    return events;
  }

  /**
   * Which mission of {@code events} the event at {@code index} belongs to: each {@code
   * MissionStarted} numbered 1 begins one, and events before the first belong to the first.
   */
  public static Life lifeOf(List<MissionEvent> events, int index) {
    int number = 0;
    int count = 0;
    int from = 0;
    int to = events.size();
    for (int i = 0; i < events.size(); i++) {
      if (!startsALife(events.get(i)) || i == 0) {
        continue;
      }
      count++;
      if (i <= index) {
        number = count;
        from = i;
      } else if (to == events.size()) {
        to = i;
      }
    }
    return new Life(number + 1, count + 1, from, to);
  }

  /**
   * One mission of an id's history: its {@code number} from 1 of the {@code count} the history
   * holds, and its events' indexes in that history, from {@code from} (inclusive) to {@code to}.
   */
  public record Life(int number, int count, int from, int to) {
    /** How many events this mission has in the history. */
    public int size() {
      return to - from;
    }
  }

  private static boolean startsALife(MissionEvent event) {
    return event.getSequence() == 1 && event.getEvent() instanceof MissionStarted;
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
