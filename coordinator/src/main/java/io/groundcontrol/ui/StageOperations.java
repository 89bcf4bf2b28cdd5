package io.groundcontrol.ui;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;

/**
 * Which buttons a mission and its stages get: the operations the coordinator accepts in their
 * status (see {@code ManualStageProcessors} and {@code Rejections.unendedMission}). Only what is
 * drawn; the coordinator decides, and a button that became stale by the time it is pressed gets
 * the coordinator's rejection.
 */
final class StageOperations {
  private static final Set<String> UNENDED_MISSION = Set.of("RUNNING", "WAITING");
  private static final Set<String> RETRY_MISSION = Set.of("RUNNING", "FAILED");
  private static final Set<String> SKIP_STAGE = Set.of("WAITING", "QUEUED", "AWAITING_RETRY", "AWAITING_RESULT",
      "FAILED", "DISPATCHED", "RUNNING");
  private static final Set<String> FAIL_STAGE = Set.of("WAITING", "QUEUED", "AWAITING_RETRY", "AWAITING_RESULT",
      "DISPATCHED", "RUNNING");

  private StageOperations() {}

  /** Whether the mission has not ended (RUNNING, or WAITING for admission): it can be cancelled. */
  static boolean canCancel(String mission) {
    return UNENDED_MISSION.contains(mission);
  }

  static boolean canRetry(String mission, String stage) {
    return RETRY_MISSION.contains(mission) && stage.equals("FAILED");
  }

  /**
   * What the Retry button asks before it sends. A stage fanned out in chunks fans out again, all
   * its chunks run, the done ones too: the question says so, and how to run one chunk again.
   *
   * @param chunks the stage's {@code chunks} as the API gives them; a missing node if it has none
   */
  static String retryConfirmation(String missionId, String stage, JsonNode chunks) {
    String ask = "Retry stage " + stage + " (and what waits for it)?";
    if (!chunks.isObject()) {
      return ask;
    }
    int done = chunks.path("done").asInt();
    return ask + " It fans out again: all its " + chunks.path("total").asInt() + " chunks run"
        + (done > 0 ? ", the " + done + " done too" : "") + ". To run one chunk again: groundcontrol mission retry "
        + missionId + " '" + stage + "[N]'";
  }

  /** @param chunked whether the stage is fanned out in chunks (its document has {@code chunks}) */
  static boolean canSkip(String mission, String stage, boolean chunked) {
    return RETRY_MISSION.contains(mission) && SKIP_STAGE.contains(stage) && !runsInChunks(stage, chunked);
  }

  /** @param chunked whether the stage is fanned out in chunks (its document has {@code chunks}) */
  static boolean canFail(String mission, String stage, boolean chunked) {
    return mission.equals("RUNNING") && FAIL_STAGE.contains(stage) && !runsInChunks(stage, chunked);
  }

  // The coordinator refuses to skip or fail a stage whose chunks run: only a chunk, which the UI
  // does not list, or the whole mission can be stopped then.
  private static boolean runsInChunks(String stage, boolean chunked) {
    return chunked && stage.equals("RUNNING");
  }
}
