package io.groundcontrol.cli;

import io.groundcontrol.audit.MissionLives;
import io.groundcontrol.schema.MissionEvent;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Why there is no mission to show for an id, in one line for stderr. The log keeps a forgotten
 * mission's whole history, so a forgotten mission is named as such, with where to read it.
 */
final class MissionAbsence {
  private MissionAbsence() {}

  /** Where to read everything the log holds for {@code missionId}. */
  static String auditHint(String missionId) {
    return "`groundcontrol audit mission " + missionId + "` prints what the log holds";
  }

  /**
   * A mission whose history up to {@code asOf} ends with {@code forgotten}, its {@code
   * MissionForgotten} (empty if its history up to then does not say why there is no mission).
   */
  static String forgottenBy(String missionId, Instant asOf, Optional<MissionEvent> forgotten) {
    return "Mission '" + missionId + "' had been forgotten by " + asOf
        + forgotten.map(event -> " (at " + event.getTimestamp() + ", once its retention was over)").orElse("")
        + "; " + auditHint(missionId);
  }

  /**
   * A mission not rebuilt from {@code events}, all the log {@code topic} holds for {@code
   * missionId} (null: none): it has none, it was forgotten, it never started (its events are
   * rejections), or its history could not be rebuilt (said as a warning before).
   */
  static String fromLog(String missionId, List<MissionEvent> events, String topic) {
    String unknown = "Unknown mission '" + missionId + "': ";
    if (events == null || events.isEmpty()) {
      return unknown + "no events for it in " + topic;
    }
    Optional<MissionEvent> forgotten = MissionLives.forgotten(events);
    if (forgotten.isPresent()) {
      return unknown + "forgotten at " + forgotten.get().getTimestamp() + ", once its retention was over; "
          + auditHint(missionId);
    }
    if (events.stream().allMatch(event -> event.getSequence() == 0)) {
      return unknown + "never started (" + topic + " holds only " + events.size() + " rejected input"
          + (events.size() == 1 ? "" : "s") + " for it); " + auditHint(missionId);
    }
    return "Mission '" + missionId + "' cannot be rebuilt from " + topic + " (see the warning above); " + auditHint(missionId);
  }
}
