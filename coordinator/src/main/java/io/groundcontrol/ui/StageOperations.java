package io.groundcontrol.ui;

import java.util.Set;

/**
 * Which buttons a stage gets: the operations the coordinator accepts in the stage's and mission's
 * status (see {@code ManualStageProcessors}). Only what is drawn; the coordinator decides, and
 * a button that became stale by the time it is pressed gets the coordinator's rejection.
 */
final class StageOperations {
  private static final Set<String> RETRY_MISSION = Set.of("RUNNING", "FAILED");
  private static final Set<String> SKIP_STAGE = Set.of("WAITING", "AWAITING_RETRY", "FAILED", "DISPATCHED", "RUNNING");
  private static final Set<String> FAIL_STAGE = Set.of("WAITING", "AWAITING_RETRY", "DISPATCHED", "RUNNING");

  private StageOperations() {}

  static boolean canRetry(String mission, String stage) {
    return RETRY_MISSION.contains(mission) && stage.equals("FAILED");
  }

  static boolean canSkip(String mission, String stage) {
    return RETRY_MISSION.contains(mission) && SKIP_STAGE.contains(stage);
  }

  static boolean canFail(String mission, String stage) {
    return mission.equals("RUNNING") && FAIL_STAGE.contains(stage);
  }
}
