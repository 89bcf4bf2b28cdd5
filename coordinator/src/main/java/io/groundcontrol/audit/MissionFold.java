package io.groundcontrol.audit;

import io.groundcontrol.mission.EventAppliers;
import io.groundcontrol.mission.Mission;
import io.groundcontrol.schema.MissionEvent;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Rebuilds missions from the mission-events log one event at a time, with the coordinator's own
 * {@link EventAppliers}, and checks every mission's history on the way: numbered 1, 2, 3... with no
 * gap, no repeat, starting with its {@code MissionStarted}. A forgotten mission ({@code
 * MissionForgotten}) is dropped, and a later start under its id begins a new one from 1. A
 * mission whose history breaks is set aside with the reason, and its later events are not
 * applied: its state cannot be proved from the log.
 *
 * <p>Feed each mission's events in log order; missions may interleave. Not thread-safe.
 */
public final class MissionFold {
  private final EventAppliers appliers = new EventAppliers();
  private final Map<String, Mission> missions = new LinkedHashMap<>();
  private final Map<String, String> broken = new LinkedHashMap<>();
  private long events;

  /** Applies one event to its mission. Rejections of inputs naming no known mission (sequence 0) change nothing. */
  public void accept(MissionEvent event) {
    events++;
    String id = event.getMissionId();
    if (event.getSequence() == 0 || broken.containsKey(id)) {
      return;
    }
    Mission mission = missions.get(id);
    long expected = mission == null ? 1 : mission.sequence() + 1;
    if (event.getSequence() != expected) {
      broken.put(id, outOfOrder(event, mission, expected));
      missions.remove(id);
      return;
    }
    try {
      Mission after = appliers.apply(mission, event);
      if (after == null) {
        missions.remove(id);
      } else {
        missions.put(id, after);
      }
    } catch (IllegalStateException e) {
      broken.put(id, e.getMessage());
      missions.remove(id);
    }
  }

  /** Every mission whose history is whole and not forgotten, by id, in the order first seen. */
  public Map<String, Mission> missions() {
    return Collections.unmodifiableMap(missions);
  }

  /** Missions whose history breaks, by id, with what is wrong, e.g. "sequence gap: event 5 is missing (...)". */
  public Map<String, String> broken() {
    return Collections.unmodifiableMap(broken);
  }

  /** Events accepted so far, sequence-0 rejections and events of broken missions included. */
  public long events() {
    return events;
  }

  private static String outOfOrder(MissionEvent event, Mission mission, long expected) {
    String what = "event " + event.getSequence() + " (" + kind(event) + ")";
    if (event.getSequence() < expected) {
      return what + " comes again after event " + (expected - 1) + ": the log holds it twice or out of order";
    }
    String missing = event.getSequence() == expected + 1
        ? "event " + expected + " is missing"
        : "events " + expected + " to " + (event.getSequence() - 1) + " are missing";
    if (mission == null) {
      return "sequence gap: its history starts at " + what + ", " + missing
          + " (deleted by the topic's retention, or never written)";
    }
    return "sequence gap: " + missing + " (" + what + " follows event " + mission.sequence() + ")";
  }

  static String kind(MissionEvent event) {
    return event.getEvent().getClass().getSimpleName();
  }
}
