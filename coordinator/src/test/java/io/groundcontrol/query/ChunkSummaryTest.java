package io.groundcontrol.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.mission.InMemoryPlans;
import io.groundcontrol.mission.MissionHarness;
import io.groundcontrol.mission.MissionView;
import io.groundcontrol.mission.TestPlan;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What `mission show`, the API and the web UI get for a stage fanned out in chunks. */
class ChunkSummaryTest {
  @Test
  void aMissionDocumentListsPlanStagesWithAChunkSummaryNotEachChunk() {
    MissionHarness harness = new MissionHarness(new InMemoryPlans().apply(TestPlan.named("fan")
        .param("ids", "[1,2,3,4,5,6,7]")
        .stage("score", "ml", Map.of("ids", "\"${chunk.items}\""))
        .foreach("${params.ids}", 2, 2)
        .stage("publish", "sql", "score")));
    harness.start("m1", "fan").stage("m1", "score[1]").finished().stage("m1", "score[0]").failedForGood("bad id");
    MissionView mission = harness.mission("m1");

    MissionDocument document = MissionDocument.of(mission, mission.stages());

    assertThat(document.stages()).extracting(StageDocument::name).containsExactlyInAnyOrder("score", "publish");
    StageDocument score = document.stages().stream().filter(s -> s.name().equals("score")).findFirst().orElseThrow();
    assertThat(score.chunks()).isEqualTo(new StageDocument.ChunkSummary(4, 1, 1, 0, 1, 1, 0));
    assertThat(score.chunks().describe()).isEqualTo("1/4 done, 1 running, 1 failed, 1 queued");
  }

  /** A walkthrough read "8 running" in `mission show` while 2 ran and 6 waited for a slot of the capped component. */
  @Test
  void chunksQueuedForASlotOfACappedComponentAreNotCountedRunning() {
    MissionHarness harness = new MissionHarness(new InMemoryPlans().apply(TestPlan.named("fan")
        .param("ids", "[1,2,3,4,5,6,7,8,9,10,11,12]")
        .stage("score", "gpu", Map.of("ids", "\"${chunk.items}\""))
        .foreach("${params.ids}", 1, 8)), Set.of("gpu")::contains);
    harness.start("m1", "fan").grant("m1", "score[0]").grant("m1", "score[1]");
    MissionView mission = harness.mission("m1");

    StageDocument score = MissionDocument.of(mission, mission.stages()).stages().get(0);

    assertThat(score.chunks()).isEqualTo(new StageDocument.ChunkSummary(12, 0, 2, 6, 0, 4, 0));
    assertThat(score.chunks().describe()).isEqualTo("0/12 done, 2 running, 6 waiting for a slot, 0 failed, 4 queued");
  }

  @Test
  void aCancelledMissionsChunksThatWereOutOrNotStartedCountAsCancelled() {
    MissionHarness harness = new MissionHarness(new InMemoryPlans().apply(TestPlan.named("fan")
        .param("ids", "[1,2,3,4,5,6,7]")
        .stage("score", "ml", Map.of("ids", "\"${chunk.items}\""))
        .foreach("${params.ids}", 2, 2)));
    harness.start("m1", "fan").stage("m1", "score[1]").finished().cancel("m1");
    MissionView mission = harness.mission("m1");

    StageDocument score = MissionDocument.of(mission, mission.stages()).stages().get(0);

    assertThat(score.status()).isEqualTo(StageStatuses.CANCELLED);
    assertThat(score.chunks()).isEqualTo(new StageDocument.ChunkSummary(4, 1, 0, 0, 0, 0, 3));
    assertThat(score.chunks().describe()).isEqualTo("1/4 done, 0 running, 0 failed, 0 queued, 3 cancelled");
  }
}
