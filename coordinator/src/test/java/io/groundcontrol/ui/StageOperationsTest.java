package io.groundcontrol.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.groundcontrol.schema.MissionStatus;
import io.groundcontrol.schema.StageStatus;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The buttons drawn are the operations the coordinator accepts: every mission and stage status
 * against what {@code ManualStageProcessors} and {@code Rejections.unendedMission} take.
 */
class StageOperationsTest {
  private static final Set<String> SKIP_MISSION = Set.of("RUNNING", "FAILED");
  private static final Set<String> SKIP_STAGE = Set.of("WAITING", "QUEUED", "AWAITING_RETRY", "AWAITING_RESULT",
      "FAILED", "DISPATCHED", "RUNNING");
  private static final Set<String> FAIL_STAGE = Set.of("WAITING", "QUEUED", "AWAITING_RETRY", "AWAITING_RESULT",
      "DISPATCHED", "RUNNING");

  @Test
  void retryIsDrawnForAFailedStageOfARunningOrFailedMission() {
    for (MissionStatus mission : MissionStatus.values()) {
      for (StageStatus stage : StageStatus.values()) {
        assertThat(StageOperations.canRetry(mission.name(), stage.name())).as(mission + " " + stage)
            .isEqualTo(SKIP_MISSION.contains(mission.name()) && stage == StageStatus.FAILED);
      }
    }
  }

  @Test
  void skipIsDrawnWhereTheCoordinatorSkips() {
    for (MissionStatus mission : MissionStatus.values()) {
      for (StageStatus stage : StageStatus.values()) {
        assertThat(StageOperations.canSkip(mission.name(), stage.name(), false)).as(mission + " " + stage)
            .isEqualTo(SKIP_MISSION.contains(mission.name()) && SKIP_STAGE.contains(stage.name()));
      }
    }
  }

  @Test
  void failIsDrawnWhereTheCoordinatorMarksFailed() {
    for (MissionStatus mission : MissionStatus.values()) {
      for (StageStatus stage : StageStatus.values()) {
        assertThat(StageOperations.canFail(mission.name(), stage.name(), false)).as(mission + " " + stage)
            .isEqualTo(mission == MissionStatus.RUNNING && FAIL_STAGE.contains(stage.name()));
      }
    }
  }

  @Test
  void aStageRunningInChunksHasNoSkipOrFailButOnceItFailedItCanBeSkipped() {
    assertThat(StageOperations.canSkip("RUNNING", "RUNNING", true)).isFalse();
    assertThat(StageOperations.canFail("RUNNING", "RUNNING", true)).isFalse();
    assertThat(StageOperations.canSkip("FAILED", "FAILED", true)).isTrue();
    assertThat(StageOperations.canRetry("FAILED", "FAILED")).isTrue();
  }

  @Test
  void cancelIsDrawnForEveryUnendedMission() {
    for (MissionStatus mission : MissionStatus.values()) {
      assertThat(StageOperations.canCancel(mission.name())).as(mission.name())
          .isEqualTo(mission == MissionStatus.RUNNING || mission == MissionStatus.WAITING);
    }
  }

  /**
   * A failed stage fanned out in chunks fans out again on Retry: every chunk runs, the done ones too
   * (measured on a dev: a 2-chunk stage with 1 chunk failed ran both again). Against a shared
   * cluster that is all the work again; the question says so, and how to run one chunk again.
   */
  @Test
  void retryOfAStageFannedOutInChunksAsksKnowingThatEveryChunkRunsAgain() throws Exception {
    JsonNode chunks = new ObjectMapper().readTree("{\"total\": 1000, \"done\": 999, \"failed\": 1}");

    assertThat(StageOperations.retryConfirmation("b1-00500", "score", chunks)).isEqualTo(
        "Retry stage score (and what waits for it)? It fans out again: all its 1000 chunks run, the 999 done too."
            + " To run one chunk again: groundcontrol mission retry b1-00500 'score[N]'");
    assertThat(StageOperations.retryConfirmation("m-1", "load", MissingNode.getInstance()))
        .isEqualTo("Retry stage load (and what waits for it)?");
  }
}
