package io.groundcontrol.mission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.groundcontrol.coordinator.MissionStateCodec;
import io.groundcontrol.schema.Actor;
import io.groundcontrol.schema.ActorKind;
import io.groundcontrol.schema.InstructionKind;
import io.groundcontrol.schema.MissionEvent;
import io.groundcontrol.schema.MissionState;
import io.groundcontrol.schema.MissionStatus;
import io.groundcontrol.schema.ReportFinished;
import io.groundcontrol.schema.StageInstruction;
import io.groundcontrol.schema.StageReport;
import io.groundcontrol.schema.StageStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The fan-out's cursor over sequences of manual operations, and over states an earlier version stored. */
class FanOutCursorTest {
  private final InMemoryPlans plans = new InMemoryPlans()
      .apply(TestPlan.named("limited-pairs")
          .param("ids", "[1,2,3,4]")
          .stage("score", "scorer", Map.of("ids", "\"${chunk.items}\""))
          .foreach("${params.ids}", 1, 2)
          .stage("publish", "publisher", "score")
          .maxActiveMissions(1))
      .apply(TestPlan.named("six")
          .param("ids", "[1,2,3,4,5,6]")
          .stage("score", "scorer", Map.of("ids", "\"${chunk.items}\""))
          .foreach("${params.ids}", 1, 2)
          .tolerateFailed(2)
          .stage("publish", "publisher", "score"));
  private final MissionHarness harness = new MissionHarness(plans);

  private static MissionState storedWithCursorAt(List<MissionEvent> log, int next) {
    MissionState stored = MissionStateCodec.toStored(new EventAppliers().replay(log));
    stored.getStages().stream().filter(stage -> stage.getName().equals("score")).findFirst().orElseThrow()
        .getFanOut().setNext(next);
    return stored;
  }

  private static StageReport finished(String stage, int attempt, Instant at) {
    return new StageReport("m1", stage, attempt, new Actor(ActorKind.WORKER, "w-1", "h1"), at,
        new ReportFinished(Map.of()));
  }

  /**
   * A mission of a limited plan, as a build before e881976/7a3f28d stored it: chunk 0 failed, so
   * the fan-out and the mission failed with chunks 2 and 3 never started; chunk 3 was skipped (the
   * old cursor stays at 2), the mission failed again on admission, then chunk 0 was retried while
   * held back (the old cursor still at 2, chunk 0 WAITING below it). The counters then say
   * "left WAITING" = 2 = next, so waitingBehindCursor() is false and the retried chunk 0 is never
   * started on admission; it must start once nothing else is out, or the fan-out would never end
   * and the mission would run for ever, holding its place.
   */
  @Test
  void anOldStoreWithARetriedChunkBelowTheCursorAndASkippedOnePastItStillRunsTheRetriedChunk() {
    harness.start("m1", "limited-pairs").admission("m1", "limited-pairs", true, 1, 1);
    harness.stage("m1", "score[0]").failedForGood("bad ids");
    harness.stage("m1", "score[1]").finished();
    assertThat(harness.mission("m1").status()).isEqualTo(MissionStatus.FAILED);
    harness.skip("m1", "score[3]");
    assertThat(harness.mission("m1").status()).isEqualTo(MissionStatus.WAITING);
    harness.admission("m1", "limited-pairs", true, 1, 1);
    assertThat(harness.mission("m1").status()).isEqualTo(MissionStatus.FAILED);
    harness.retry("m1", "score[0]", false);
    assertThat(harness.mission("m1").status()).isEqualTo(MissionStatus.WAITING);

    // as the earlier build stored it: the cursor was never moved back to the retried chunk
    MissionState stored = storedWithCursorAt(harness.log("m1"), 2);
    Instant at = stored.getUpdatedAt().plusSeconds(1);
    MissionEngine engine = new MissionEngine(plans);
    Decision admitted = engine.decide(MissionStateCodec.fromStored(stored),
        new io.groundcontrol.schema.MissionAdmission("m1", "limited-pairs", true, 1, 1, at, stored.getAdmissionAsk()), at);
    Mission mission = admitted.mission().orElseThrow();
    Decision afterChunk2 = engine.decide(MissionStateCodec.fromStored(MissionStateCodec.toStored(mission)),
        finished("score[2]", 1, at.plusSeconds(1)), at.plusSeconds(1));
    Mission last = afterChunk2.mission().orElseThrow();

    assertThat(admitted.instructions()).extracting(StageInstruction::getStage, StageInstruction::getAttempt)
        .containsExactly(tuple("score[2]", 1));
    assertThat(afterChunk2.instructions()).extracting(StageInstruction::getStage, StageInstruction::getAttempt)
        .as("once chunk 2 ended and nothing is out, the retried chunk 0 left below the cursor starts")
        .containsExactly(tuple("score[0]", 2));
    Decision afterChunk0 = engine.decide(MissionStateCodec.fromStored(MissionStateCodec.toStored(last)),
        finished("score[0]", 2, at.plusSeconds(2)), at.plusSeconds(2));
    assertThat(afterChunk0.instructions()).extracting(StageInstruction::getStage).containsExactly("publish");
    assertThat(afterChunk0.mission().orElseThrow().stage("score").orElseThrow().status()).isEqualTo(StageStatus.FINISHED);
  }

  private FanOut counters() {
    return harness.mission("m1").stage("score").orElseThrow().fanOut().orElseThrow();
  }

  private List<String> runs() {
    return harness.lastInstructions().stream().filter(i -> i.getKind() == InstructionKind.RUN)
        .map(i -> i.getStage() + "#" + i.getAttempt()).toList();
  }

  @Test
  void retrySkipFailRetrySequencesKeepTheCountsAndTheCursor() {
    harness.start("m1", "six");
    assertThat(runs()).containsExactly("score[0]#1", "score[1]#1");
    harness.stage("m1", "score[0]").failedForGood("bad");
    assertThat(runs()).containsExactly("score[2]#1");
    harness.retry("m1", "score[0]", false);
    assertThat(runs()).isEmpty();
    assertThat(counters().summary()).isEqualTo("0/6 done, 2 running, 0 failed, 4 queued");
    assertThat(counters().next()).isEqualTo(0);
    harness.skip("m1", "score[0]");
    assertThat(counters().summary()).isEqualTo("1/6 done, 2 running, 0 failed, 3 queued");
    assertThat(counters().next()).isEqualTo(3);
    harness.fail("m1", "score[4]");
    assertThat(counters().summary()).isEqualTo("1/6 done, 2 running, 1 failed, 2 queued");
    harness.retry("m1", "score[4]", false);
    assertThat(counters().summary()).isEqualTo("1/6 done, 2 running, 0 failed, 3 queued");
    assertThat(counters().next()).isEqualTo(3);
    harness.stage("m1", "score[1]").finished();
    assertThat(runs()).containsExactly("score[3]#1");
    harness.stage("m1", "score[2]").finished();
    assertThat(runs()).containsExactly("score[4]#1");
    harness.stage("m1", "score[3]").finished();
    assertThat(runs()).containsExactly("score[5]#1");
    harness.stage("m1", "score[4]").finished();
    assertThat(runs()).isEmpty();
    harness.stage("m1", "score[5]").finished();
    assertThat(runs()).containsExactly("publish#1");
    assertThat(counters().summary()).isEqualTo("6/6 done, 0 running, 0 failed, 0 queued");
  }

  /** A chunk retried twice over while places are full, then cancelled: nothing counted out stays out. */
  @Test
  void aRetriedChunkWaitingForAPlaceThenCancelledCountsCancelled() {
    harness.start("m1", "six");
    harness.stage("m1", "score[0]").failedForGood("bad");
    harness.retry("m1", "score[0]", false);
    harness.cancel("m1");
    assertThat(harness.lastInstructions()).extracting(StageInstruction::getKind, StageInstruction::getStage)
        .containsExactlyInAnyOrder(tuple(InstructionKind.CANCEL, "score[1]"), tuple(InstructionKind.CANCEL, "score[2]"));
    assertThat(counters().summary()).isEqualTo("0/6 done, 2 running, 0 failed, 4 queued");
  }
}
