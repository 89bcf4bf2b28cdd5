package io.groundcontrol.cli;

import io.groundcontrol.schema.MissionEvent;
import java.time.Instant;
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
}
