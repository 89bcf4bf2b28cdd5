package io.groundcontrol.ui;

import io.groundcontrol.mission.StageInstance;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a page shows of a long timeline. A stage fanned out in 10,000 chunks has some 30,000 events
 * and 10,000 attempts, megabytes of HTML redrawn every few seconds: the page lists the first and
 * the latest events, and every attempt but those of chunks that finished, up to a bound, and says
 * how many it leaves out ({@code groundcontrol audit mission} prints them all).
 */
final class TimelineCut {
  static final int FIRST_EVENTS = 100;
  static final int LATEST_EVENTS = 400;
  static final int MAX_ATTEMPTS = 500;

  private TimelineCut() {}

  /** The first events, or all of them if they are few. */
  static <T> List<T> first(List<T> events) {
    return events.size() <= FIRST_EVENTS + LATEST_EVENTS ? events : List.copyOf(events.subList(0, FIRST_EVENTS));
  }

  /** The latest events after the first, or none if every event is among the first. */
  static <T> List<T> latest(List<T> events) {
    return events.size() <= FIRST_EVENTS + LATEST_EVENTS ? List.of()
        : List.copyOf(events.subList(events.size() - LATEST_EVENTS, events.size()));
  }

  /**
   * The attempts to list, by stage: all if they are few; else without the finished attempts of
   * chunks (stage instances such as {@code score[17]}), and then the first {@link #MAX_ATTEMPTS}.
   */
  static Map<String, List<Timeline.Attempt>> attempts(Map<String, List<Timeline.Attempt>> all) {
    if (count(all) <= MAX_ATTEMPTS) {
      return all;
    }
    Map<String, List<Timeline.Attempt>> kept = new LinkedHashMap<>();
    int room = MAX_ATTEMPTS;
    for (Map.Entry<String, List<Timeline.Attempt>> stage : all.entrySet()) {
      boolean chunk = StageInstance.isChunk(stage.getKey());
      List<Timeline.Attempt> shown = new ArrayList<>();
      for (Timeline.Attempt a : stage.getValue()) {
        if (room > 0 && !(chunk && "FINISHED".equals(a.state()))) {
          shown.add(a);
          room--;
        }
      }
      if (!shown.isEmpty()) {
        kept.put(stage.getKey(), List.copyOf(shown));
      }
    }
    return kept;
  }

  static int count(Map<String, List<Timeline.Attempt>> attempts) {
    return attempts.values().stream().mapToInt(List::size).sum();
  }
}
