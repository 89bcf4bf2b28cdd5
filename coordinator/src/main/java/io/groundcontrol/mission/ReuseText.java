package io.groundcontrol.mission;

import java.time.Duration;
import java.time.Instant;

/** How a reused result is described to people: {@code reused from mission m-1, stage extract, 12 min old}. */
public final class ReuseText {
  private ReuseText() {}

  /**
   * @param finishedAt when the reused run finished
   * @param reusedAt when it was reused: its age is counted up to then
   */
  public static String describe(String fromMission, String fromStage, Instant finishedAt, Instant reusedAt) {
    return "reused from mission " + fromMission + ", stage " + fromStage + ", " + age(Duration.between(finishedAt, reusedAt))
        + " old";
  }

  static String age(Duration age) {
    long seconds = Math.max(0, age.toSeconds());
    if (seconds < 60) {
      return seconds + " s";
    }
    if (seconds < 3600) {
      return seconds / 60 + " min";
    }
    long minutes = seconds / 60;
    return minutes / 60 + " h " + minutes % 60 + " min";
  }
}
