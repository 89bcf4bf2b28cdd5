package io.groundcontrol.mission;

import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.schema.InstructionKind;
import io.groundcontrol.schema.MissionStatus;
import io.groundcontrol.schema.RejectionReason;
import io.groundcontrol.schema.StageInstruction;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Found by {@link EngineFuzzTest}: a worker report naming a foreach stage itself ({@code score}),
 * not one of its chunks ({@code score[0]}), is taken as the outcome of an attempt of the stage. Only
 * chunks are ever sent to workers, and README says "the running stage itself cannot be skipped or
 * failed as a whole", so such a report should be rejected; instead one bad record finishes (or
 * fails, or retries as a plain RUN) the whole fan-out while its chunks are out.
 */
class FanOutStageReportTest {
  private final InMemoryPlans plans = new InMemoryPlans().apply(TestPlan.named("fan")
      .param("items", "[1,2,3,4]")
      .stage("score", "ml", Map.of("ids", "\"${chunk.items}\"")).foreach("${params.items}", 1, 2).retry(3, 1000)
      .stage("publish", "sql", "score"));
  private final MissionHarness harness = new MissionHarness(plans);

  @Test
  void aFinishReportNamingTheFanOutStageIsRejectedNotTakenAsTheWholeStage() {
    harness.start("m1", "fan");
    assertThat(harness.lastInstructions()).extracting(StageInstruction::getStage).containsExactly("score[0]", "score[1]");

    harness.attempt("m1", "score", 1).finished();

    // Actual: [StageFinished, StageDispatched]: score FINISHED with 0/4 chunks done, publish RUN
    assertThat(harness.lastEvents()).containsExactly("InputRejected");
    assertThat(harness.mission("m1").stage("score").orElseThrow().status()).isEqualTo(io.groundcontrol.schema.StageStatus.RUNNING);
  }

  @Test
  void aFailReportNamingTheFanOutStageDoesNotSendTheStageItselfToAWorker() {
    harness.start("m1", "fan");

    harness.attempt("m1", "score", 1).failed("flaky");
    harness.fire("m1", "score", TimerFired.Kind.RETRY);

    // Actual: a RUN of 'score' attempt 2 (not a chunk), its params holding "${chunk.items}" unresolved
    assertThat(harness.lastInstructions()).noneMatch(i -> i.getKind() == InstructionKind.RUN && i.getStage().equals("score"));
    assertThat(harness.mission("m1").status()).isEqualTo(MissionStatus.RUNNING);
  }

  @Test
  void aLivenessLapseOfAHeartbeatNamingTheFanOutStageLeavesItsChunksAlone() {
    harness.start("m1", "fan");
    harness.input(new io.groundcontrol.schema.StageReport("m1", "score", 1,
        new io.groundcontrol.schema.Actor(io.groundcontrol.schema.ActorKind.WORKER, "w-1", "h1"), harness.now(),
        new io.groundcontrol.schema.ReportHeartbeat(1_000L)));

    harness.fire("m1", "score", TimerFired.Kind.LIVENESS);

    // Actual: [StageFailed, StageRetryScheduled]: 'score' failed "worker lost" with both chunks out
    assertThat(harness.lastEvents()).doesNotContain("StageFailed");
  }
}
