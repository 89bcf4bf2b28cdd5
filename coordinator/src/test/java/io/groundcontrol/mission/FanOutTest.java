package io.groundcontrol.mission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.groundcontrol.coordinator.MissionStateCodec;
import io.groundcontrol.schema.Actor;
import io.groundcontrol.schema.ActorKind;
import io.groundcontrol.schema.CancelMission;
import io.groundcontrol.schema.InstructionKind;
import io.groundcontrol.schema.MissionEvent;
import io.groundcontrol.schema.MissionCommand;
import io.groundcontrol.schema.MissionFailed;
import io.groundcontrol.schema.MissionResumed;
import io.groundcontrol.schema.MissionState;
import io.groundcontrol.schema.ReportFinished;
import io.groundcontrol.schema.MissionStatus;
import io.groundcontrol.schema.ResultRequest;
import io.groundcontrol.schema.ReuseResult;
import io.groundcontrol.schema.RunStage;
import io.groundcontrol.schema.StageDispatched;
import io.groundcontrol.schema.StageFannedOut;
import io.groundcontrol.schema.StageInstruction;
import io.groundcontrol.schema.StageSkipped;
import io.groundcontrol.schema.StageReport;
import io.groundcontrol.schema.StageStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * {@code foreach} in chunks: chunk instances {@code score[k]} with their own items and attempts,
 * created as places free up, fanned in to downstream in chunk order.
 */
class FanOutTest {
  private static final String IDS = "[11,12,13,14,15,16,17]";

  private final InMemoryPlans plans = new InMemoryPlans()
      .apply(TestPlan.named("fan")
          .stage("list", "lists")
          .stage("score", "scorer", Map.of("ids", "\"${chunk.items}\"", "chunk", "\"${chunk.index}\""), "list")
          .foreach("${stages.list.outputs.ids}", 2, 2)
          .retry(2, 1000)
          .stage("publish", "publisher", Map.of("counts", "\"${stages.score.outputs.n}\""), "score"))
      .apply(TestPlan.named("reusing")
          .param("ids", "[1,2,3]")
          .stage("score", "scorer", Map.of("ids", "\"${chunk.items}\""))
          .foreach("${params.ids}", 2, 2)
          .reuse(3_600_000)
          .stage("publish", "publisher", Map.of("counts", "\"${stages.score.outputs.n}\""), "score"))
      .apply(TestPlan.named("tolerant")
          .param("ids", "[1,2,3,4]")
          .stage("score", "scorer", Map.of("ids", "\"${chunk.items}\""))
          .foreach("${params.ids}", 1, 4)
          .tolerateFailed(1)
          .stage("publish", "publisher", Map.of("counts", "\"${stages.score.outputs.n}\""), "score"))
      .apply(TestPlan.named("chained")
          .stage("list", "lists")
          .stage("score", "scorer", Map.of("ids", "\"${chunk.items}\""), "list")
          .foreach("${stages.list.outputs.ids}", 2, 2)
          .stage("rescore", "scorer", Map.of("n", "\"${chunk.items}\""), "score")
          .foreach("${stages.score.outputs.n}", 1, 4))
      .apply(TestPlan.named("wide")
          .param("ids", "[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16]")
          .stage("score", "scorer", Map.of("ids", "\"${chunk.items}\""))
          .foreach("${params.ids}", 1, 16)
          .stage("publish", "publisher", Map.of("blobs", "\"${stages.score.outputs.blob}\""), "score"))
      .apply(TestPlan.named("pairs")
          .param("ids", "[1,2,3,4]")
          .stage("score", "scorer", Map.of("ids", "\"${chunk.items}\""))
          .foreach("${params.ids}", 1, 2)
          .stage("publish", "publisher", "score"))
      .apply(TestPlan.named("tolerant-pairs")
          .param("ids", "[1,2,3,4]")
          .stage("score", "scorer", Map.of("ids", "\"${chunk.items}\""))
          .foreach("${params.ids}", 1, 2)
          .tolerateFailed(1)
          .stage("publish", "publisher", "score"))
      .apply(TestPlan.named("limited")
          .param("ids", "[1,2,3,4]")
          .stage("score", "scorer", Map.of("ids", "\"${chunk.items}\""))
          .foreach("${params.ids}", 1, 4)
          .stage("publish", "publisher", "score")
          .maxActiveMissions(1));
  private final MissionHarness harness = new MissionHarness(plans);

  private List<StageInstruction> runs() {
    return harness.lastInstructions().stream().filter(i -> i.getKind() == InstructionKind.RUN).toList();
  }

  private FanOut counters() {
    return harness.mission("m1").stage("score").orElseThrow().fanOut().orElseThrow();
  }

  private MissionHarness listed() {
    return harness.start("m1", "fan").stage("m1", "list").finished(Map.of("ids", IDS));
  }

  @Test
  void chunkItemsKeepTheirNumbersExactly() {
    harness.start("m1", "fan").stage("m1", "list").finished(Map.of("ids", "[1732000000.123456789,1.0,1e400]"));

    assertThat(runs()).extracting(run -> run.getParams().get("ids"))
        .containsExactly("[1732000000.123456789,1.0]", "[1E+400]");
  }

  @Test
  void aReadyForeachStageSplitsItsItemsAndDispatchesOnlyMaxParallelChunks() {
    listed();

    assertThat(harness.lastEventRecords()).extracting(e -> e.getEvent()).filteredOn(StageFannedOut.class::isInstance)
        .containsExactly(new StageFannedOut("score", "${stages.list.outputs.ids}", 7, 2, 4));
    assertThat(runs()).extracting(StageInstruction::getStage).containsExactly("score[0]", "score[1]");
    assertThat(runs().get(0).getParams()).containsEntry("ids", "[11,12]").containsEntry("chunk", "0");
    assertThat(runs().get(1).getParams()).containsEntry("ids", "[13,14]").containsEntry("chunk", "1");
    assertThat(runs()).allSatisfy(run -> assertThat(run.getComponent()).isEqualTo("scorer"));
    assertThat(harness.mission("m1").stage("score").orElseThrow().status()).isEqualTo(StageStatus.RUNNING);
    assertThat(counters().summary()).isEqualTo("0/4 done, 2 running, 0 failed, 2 queued");
  }

  @Test
  void eachEndedChunkMakesPlaceForTheNextAndDownstreamGetsOutputsInChunkOrder() {
    listed();
    harness.stage("m1", "score[1]").finished(Map.of("n", "2"));
    assertThat(runs()).extracting(StageInstruction::getStage).containsExactly("score[2]");
    assertThat(runs().get(0).getParams()).containsEntry("ids", "[15,16]");

    harness.stage("m1", "score[2]").finished(Map.of("n", "2"));
    assertThat(runs()).extracting(StageInstruction::getStage).containsExactly("score[3]");
    assertThat(runs().get(0).getParams()).containsEntry("ids", "[17]");
    harness.stage("m1", "score[3]").finished(Map.of("n", "1"));
    assertThat(runs()).as("no chunk left to start, chunk 0 still out").isEmpty();

    harness.stage("m1", "score[0]").finished(Map.of("n", "2"));

    assertThat(harness.lastEvents()).containsSubsequence("StageFinished", "StageFinished", "StageDispatched");
    assertThat(runs()).extracting(StageInstruction::getStage).containsExactly("publish");
    assertThat(runs().get(0).getParams()).containsEntry("counts", "[2,2,2,1]");
    assertThat(harness.mission("m1").stage("score").orElseThrow().status()).isEqualTo(StageStatus.FINISHED);
    harness.stage("m1", "publish").finished();
    assertThat(harness.mission("m1").status()).isEqualTo(MissionStatus.FINISHED);
    assertThat(harness.mission("m1").countOf(StageStatus.FINISHED)).as("mission counts plan stages only").isEqualTo(3);
  }

  @Test
  void aChunkRetriesOnItsOwnAndKeepsItsPlaceMeanwhile() {
    listed();
    harness.stage("m1", "score[0]").failed("flaky");

    assertThat(harness.mission("m1").stage("score[0]").orElseThrow().status()).isEqualTo(StageStatus.AWAITING_RETRY);
    assertThat(runs()).as("a chunk awaiting its retry keeps its place").isEmpty();

    harness.fire("m1", "score[0]", TimerFired.Kind.RETRY);

    assertThat(runs()).extracting(StageInstruction::getStage, StageInstruction::getAttempt)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("score[0]", 2));
    assertThat(runs().get(0).getParams()).containsEntry("ids", "[11,12]");
    assertThat(harness.mission("m1").stage("score[1]").orElseThrow().attempt()).isEqualTo(1);
  }

  @Test
  void aChunkFailedForGoodFailsTheStageOnceTheOthersEndAndRetryingItResumes() {
    listed();
    harness.stage("m1", "score[0]").failedForGood("bad id 12");
    assertThat(runs()).as("no new chunk once the stage cannot succeed").isEmpty();
    assertThat(harness.mission("m1").status()).isEqualTo(MissionStatus.RUNNING);

    harness.stage("m1", "score[1]").finished(Map.of("n", "2"));

    MissionView mission = harness.mission("m1");
    assertThat(mission.stage("score").orElseThrow().status()).isEqualTo(StageStatus.FAILED);
    assertThat(mission.status()).isEqualTo(MissionStatus.FAILED);
    assertThat(mission.reason().orElseThrow()).contains("stage 'score' failed")
        .contains("1 of 4 chunks failed (tolerated: 0): chunks 0; first error: bad id 12; 2 chunks not started");

    harness.retry("m1", "score[0]", false);

    assertThat(harness.mission("m1").status()).isEqualTo(MissionStatus.RUNNING);
    assertThat(harness.mission("m1").stage("score").orElseThrow().status()).isEqualTo(StageStatus.RUNNING);
    assertThat(runs()).extracting(StageInstruction::getStage).containsExactly("score[0]", "score[2]");
    assertThat(runs().get(0).getAttempt()).isEqualTo(2);
    harness.stage("m1", "score[0]").finished(Map.of("n", "2"))
        .stage("m1", "score[2]").finished(Map.of("n", "2"))
        .stage("m1", "score[3]").finished(Map.of("n", "1"));
    assertThat(runs()).extracting(StageInstruction::getStage).containsExactly("publish");
    assertThat(runs().get(0).getParams()).containsEntry("counts", "[2,2,2,1]");
  }

  /** Chunk 0 fails on attempt 1, then on attempt 2 as {@code second} reports, and chunk 1 finishes: score FAILS. */
  private void chunk0FailsTwiceFailingTheStage(Function<MissionHarness.Reports, MissionHarness> second) {
    listed();
    harness.stage("m1", "score[0]").failed("flaky");
    harness.fire("m1", "score[0]", TimerFired.Kind.RETRY);
    second.apply(harness.stage("m1", "score[0]"));
    harness.stage("m1", "score[1]").finished(Map.of("n", "2"));
    assertThat(harness.mission("m1").stage("score").orElseThrow().status()).isEqualTo(StageStatus.FAILED);
  }

  @Test
  void aChunkRetriedByCommandAfterItsRetriesRanOutIsRetriedByPolicyAgain() {
    chunk0FailsTwiceFailingTheStage(chunk -> chunk.failed("flaky"));

    harness.retry("m1", "score[0]", false);
    harness.stage("m1", "score[0]").failed("flaky");

    assertThat(harness.mission("m1").stage("score[0]").orElseThrow().status())
        .as("attempt 3 is the first of 2 again").isEqualTo(StageStatus.AWAITING_RETRY);
  }

  @Test
  void aStageFannedOutAgainNumbersItsChunksAttemptsPastTheEarlierOnesAndRetriesThemInFull() {
    chunk0FailsTwiceFailingTheStage(chunk -> chunk.failedForGood("bad id 12"));

    harness.retry("m1", "score", false);

    // Attempt 1 or 2 of score[0] named again could take a slot, a late report or a timer of the
    // first fan-out's for the new one's.
    assertThat(runs()).extracting(StageInstruction::getStage, StageInstruction::getAttempt).containsExactly(
        org.assertj.core.groups.Tuple.tuple("score[0]", 3), org.assertj.core.groups.Tuple.tuple("score[1]", 3));
    assertThat(counters().attemptBase()).isEqualTo(2);
    harness.stage("m1", "score[0]").failed("flaky");
    assertThat(harness.mission("m1").stage("score[0]").orElseThrow().status())
        .as("the retry policy (2 attempts) counts from this fan-out's first").isEqualTo(StageStatus.AWAITING_RETRY);
    harness.fire("m1", "score[0]", TimerFired.Kind.RETRY);
    assertThat(runs()).extracting(StageInstruction::getStage, StageInstruction::getAttempt)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("score[0]", 4));
  }

  @Test
  void toleratedFailuresLetTheStageFinishWithNullsForTheFailedChunks() {
    harness.start("m1", "tolerant");
    assertThat(runs()).hasSize(4);
    harness.stage("m1", "score[0]").finished(Map.of("n", "1"))
        .stage("m1", "score[1]").failedForGood("bad")
        .stage("m1", "score[2]").finished(Map.of("n", "1"))
        .stage("m1", "score[3]").finished(Map.of("n", "1"));

    assertThat(runs()).extracting(StageInstruction::getStage).containsExactly("publish");
    assertThat(runs().get(0).getParams()).containsEntry("counts", "[1,null,1,1]");
    assertThat(counters().summary()).isEqualTo("3/4 done, 0 running, 1 failed, 0 queued");
  }

  @Test
  void eachChunkLooksUpAResultForItsOwnItemsAndAReusedChunkCountsDone() {
    harness.start("m1", "reusing");

    assertThat(harness.lastResultRequests()).extracting(ResultRequest::getResultKey).containsExactly(
        ResultKeys.of("scorer", Map.of("ids", "[1,2]")), ResultKeys.of("scorer", Map.of("ids", "[3]")));
    harness.resultAnswer("m1", "score[0]", new ReuseResult("m-0", "score[4]", harness.now(), Map.of("n", "2")))
        .resultAnswer("m1", "score[1]", new RunStage());
    assertThat(runs()).extracting(StageInstruction::getStage).containsExactly("score[1]");
    harness.stage("m1", "score[1]").finished(Map.of("n", "1"));

    assertThat(harness.mission("m1").stage("score[0]").orElseThrow().status()).isEqualTo(StageStatus.REUSED);
    assertThat(runs()).extracting(StageInstruction::getStage).containsExactly("publish");
    assertThat(runs().get(0).getParams()).containsEntry("counts", "[2,1]");
  }

  @Test
  void cancelStopsEveryChunkOut() {
    listed();
    harness.stage("m1", "score[0]").finished(Map.of("n", "2"));
    harness.cancel("m1");

    assertThat(harness.lastInstructions()).extracting(StageInstruction::getKind, StageInstruction::getStage)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple(InstructionKind.CANCEL, "score[2]"),
            org.assertj.core.groups.Tuple.tuple(InstructionKind.CANCEL, "score[1]"));
  }

  @Test
  void aForeachOverAFannedOutStagesOutputFansOutOverItsChunksOutputsInChunkOrder() {
    harness.start("m2", "chained").stage("m2", "list").finished(Map.of("ids", IDS));
    for (int k = 0; k < 4; k++) {
      harness.stage("m2", "score[" + k + "]").finished(Map.of("n", Integer.toString(10 + k)));
    }

    assertThat(harness.lastEventRecords()).extracting(e -> e.getEvent()).filteredOn(StageFannedOut.class::isInstance)
        .containsExactly(new StageFannedOut("rescore", "${stages.score.outputs.n}", 4, 1, 4));
    assertThat(runs()).extracting(run -> run.getStage() + " " + run.getParams().get("n"))
        .containsExactly("rescore[0] [10]", "rescore[1] [11]", "rescore[2] [12]", "rescore[3] [13]");
  }

  @Test
  void aForeachOverAFannedOutStageFailsSayingWhichChunkLacksTheOutput() {
    harness.start("m2", "chained").stage("m2", "list").finished(Map.of("ids", IDS));
    for (int k = 0; k < 4; k++) {
      harness.stage("m2", "score[" + k + "]").finished(k == 2 ? Map.of() : Map.of("n", "1"));
    }

    assertThat(harness.mission("m2").status()).isEqualTo(MissionStatus.FAILED);
    assertThat(harness.mission("m2").reason().orElseThrow()).contains(
        "Expected foreach of stage 'rescore' (${stages.score.outputs.n}) to be a JSON array, but "
            + "Expected output 'n' of stage 'score[2]', but stage 'score[2]' finished without it");
  }

  @Test
  void anEmptyListFinishesTheStageAtOnce() {
    harness.start("m1", "fan").stage("m1", "list").finished(Map.of("ids", "[]"));

    assertThat(runs()).extracting(StageInstruction::getStage).containsExactly("publish");
    assertThat(runs().get(0).getParams()).containsEntry("counts", "[]");
  }

  @Test
  void aSourceThatIsNoArrayFailsTheStageSayingWhat() {
    harness.start("m1", "fan").stage("m1", "list").finished(Map.of("ids", "\"all\""));

    assertThat(harness.mission("m1").status()).isEqualTo(MissionStatus.FAILED);
    assertThat(harness.mission("m1").reason().orElseThrow()).contains(
        "Expected foreach of stage 'score' (${stages.list.outputs.ids}) to be a JSON array, but it is a string");
  }

  @Test
  void aFanInTooLargeForOneRecordFailsTheStageDownstreamSayingWhy() {
    harness.start("m1", "wide");
    String blob = "\"" + "x".repeat(60_000) + "\"";
    for (int chunk = 0; chunk < 16; chunk++) {
      harness.stage("m1", "score[" + chunk + "]").finished(Map.of("blob", blob));
    }

    assertThat(runs()).as("no RUN too large to write").isEmpty();
    assertThat(harness.mission("m1").stage("publish").orElseThrow().status()).isEqualTo(StageStatus.FAILED);
    assertThat(harness.mission("m1").status()).isEqualTo(MissionStatus.FAILED);
    assertThat(harness.mission("m1").reason().orElseThrow()).contains("Expected the fan-in of output 'blob' of stage"
        + " 'score' to take at most 921600 bytes (an instruction must fit in one Kafka record), but its first 16 of 16"
        + " chunks take 960048");
  }

  @Test
  void reportsOnAnUnknownChunkAreRejected() {
    listed();
    harness.stage("m1", "score[9]").attempt(1).finished();

    assertThat(harness.lastRejection()).contains("to have stage 'score[9]', but it has none");
  }

  @Test
  void theRunningFanOutStageCannotBeSkippedAsAWhole() {
    listed();
    harness.skip("m1", "score");

    assertThat(harness.lastRejection()).contains("it runs in chunks (0/4 done, 2 running, 0 failed, 2 queued)")
        .contains("skip a chunk, such as 'score[0]'");
  }

  @Test
  void aSkippedChunkCountsAsDone() {
    listed();
    harness.skip("m1", "score[0]");

    assertThat(runs()).extracting(StageInstruction::getStage).containsExactly("score[2]");
    assertThat(counters().done()).isEqualTo(1);
  }

  /** Two chunks out at once; chunk 0 fails for good, so the stage and the mission fail once chunk 1 is back. */
  private void pairsFailedOnChunkZero() {
    harness.start("m1", "pairs");
    harness.stage("m1", "score[0]").failedForGood("bad ids");
    harness.stage("m1", "score[1]").finished();
    assertThat(harness.mission("m1").status()).isEqualTo(MissionStatus.FAILED);
    assertThat(harness.mission("m1").stage("score").orElseThrow().status()).isEqualTo(StageStatus.FAILED);
  }

  @Test
  void skippingTheFailedChunkOfAFailedFanOutCountsItDoneAndRunsTheRest() {
    pairsFailedOnChunkZero();

    harness.skip("m1", "score[0]");

    assertThat(harness.lastEvents()).startsWith("MissionResumed", "StageSkipped", "StageReopened");
    assertThat(harness.mission("m1").status()).isEqualTo(MissionStatus.RUNNING);
    assertThat(harness.mission("m1").stage("score").orElseThrow().status()).isEqualTo(StageStatus.RUNNING);
    assertThat(runs()).extracting(StageInstruction::getStage).containsExactly("score[2]", "score[3]");
    harness.stage("m1", "score[2]").finished();
    harness.stage("m1", "score[3]").finished();
    assertThat(runs()).extracting(StageInstruction::getStage).containsExactly("publish");
  }

  /**
   * A log written before skips reopened a fan-out: the chunk skipped, the mission failed again.
   * Replayed today, it must give the state it gave then.
   */
  @Test
  void aSkipLoggedBeforeSkipsReopenedAFanOutReplaysAsItHappened() {
    pairsFailedOnChunkZero();
    List<MissionEvent> log = new ArrayList<>(harness.log("m1"));
    MissionEvent last = log.get(log.size() - 1);
    Instant at = last.getTimestamp().plusSeconds(1);
    log.add(event(last, 1, at, new MissionResumed("stage 'score[0]' skipped by ann")));
    log.add(event(last, 2, at, new StageSkipped("score[0]", "skipped by ann")));
    log.add(event(last, 3, at, new MissionFailed("stage 'score' failed")));

    Mission replayed = new EventAppliers().replay(log);

    assertThat(replayed.status()).isEqualTo(MissionStatus.FAILED);
    assertThat(replayed.stage("score").orElseThrow().status()).isEqualTo(StageStatus.FAILED);
    assertThat(replayed.stage("score").orElseThrow().fanOut().orElseThrow().done()).isEqualTo(2);
  }

  private static MissionEvent event(MissionEvent after, int offset, Instant at, Object payload) {
    return MissionEvent.newBuilder(after).setSequence(after.getSequence() + offset).setTimestamp(at)
        .setEvent(payload).build();
  }

  /** Plan {@code limited}: chunk 0 failed for good, so the mission failed; then chunk 0 retried, the mission held back. */
  private void limitedChunkRetriedWhileHeldBack() {
    harness.start("m1", "limited").admission("m1", "limited", true, 1, 1);
    harness.stage("m1", "score[0]").failedForGood("bad ids");
    for (int chunk = 1; chunk < 4; chunk++) {
      harness.stage("m1", "score[" + chunk + "]").finished();
    }
    assertThat(harness.mission("m1").status()).isEqualTo(MissionStatus.FAILED);
    harness.retry("m1", "score[0]", false);
    assertThat(harness.mission("m1").status()).isEqualTo(MissionStatus.WAITING);
  }

  @Test
  void aChunkRetriedInAMissionHeldBackByItsPlanLimitRunsOnceAdmitted() {
    limitedChunkRetriedWhileHeldBack();

    harness.admission("m1", "limited", true, 1, 1);

    assertThat(runs()).extracting(StageInstruction::getStage, StageInstruction::getAttempt)
        .containsExactly(tuple("score[0]", 2));
    harness.stage("m1", "score[0]").attempt(2).finished();
    assertThat(runs()).extracting(StageInstruction::getStage).containsExactly("publish");
  }

  /**
   * Stored by an earlier version, which left the cursor where it was: the chunk retried while the
   * mission was held back is WAITING below it, and still runs once the mission is admitted.
   */
  @Test
  void aChunkRetriedWhileHeldBackAsAnEarlierVersionStoredItRunsOnceAdmitted() {
    limitedChunkRetriedWhileHeldBack();
    MissionState stored = storedWithCursorAt(harness.log("m1"), 4);
    Instant at = stored.getUpdatedAt().plusSeconds(1);

    Decision decision = new MissionEngine(plans).decide(MissionStateCodec.fromStored(stored),
        new io.groundcontrol.schema.MissionAdmission("m1", "limited", true, 1, 1, at, stored.getAdmissionAsk()), at);

    assertThat(decision.instructions()).extracting(StageInstruction::getStage, StageInstruction::getAttempt)
        .containsExactly(tuple("score[0]", 2));
  }

  /** Once its stage finished, tolerating it, a failed chunk has no fan-out left to run in. */
  @Test
  void aChunkOfAStageThatFinishedToleratingItIsNotRunAgain() {
    harness.start("m1", "tolerant");
    harness.stage("m1", "score[0]").failedForGood("bad ids");
    for (int chunk = 1; chunk < 4; chunk++) {
      harness.stage("m1", "score[" + chunk + "]").finished();
    }
    harness.stage("m1", "publish").failedForGood("no space");
    assertThat(harness.mission("m1").status()).isEqualTo(MissionStatus.FAILED);

    harness.retry("m1", "score[0]", false);

    assertThat(harness.lastRejection()).contains(
        "Expected stage 'score' to be RUNNING or FAILED to retry its chunk 'score[0]', but it is FINISHED");
    assertThat(runs()).isEmpty();
    assertThat(harness.mission("m1").status()).isEqualTo(MissionStatus.FAILED);
  }

  private List<String> runStages() {
    return runs().stream().map(StageInstruction::getStage).toList();
  }

  /** Chunk 3 skipped while chunks 0 and 1 run: it counts done at once and is never run. */
  @Test
  void aChunkSkippedBeforeItsTurnIsNeverRunAndTheStageFinishesWithoutIt() {
    harness.start("m1", "pairs");
    harness.skip("m1", "score[3]");
    assertThat(counters().summary()).isEqualTo("1/4 done, 2 running, 0 failed, 1 queued");
    harness.stage("m1", "score[0]").finished();
    assertThat(runStages()).containsExactly("score[2]");

    harness.stage("m1", "score[1]").finished();

    assertThat(runStages()).as("the skipped chunk is not run").isEmpty();
    assertThat(harness.mission("m1").stage("score[3]").orElseThrow().status()).isEqualTo(StageStatus.SKIPPED);
    assertThat(counters().summary()).isEqualTo("3/4 done, 1 running, 0 failed, 0 queued");
    assertTimeoutPreemptively(Duration.ofSeconds(20), () -> harness.stage("m1", "score[2]").finished(),
        "a place freed past a skipped chunk must not start it again and again");
    assertThat(runStages()).containsExactly("publish");
  }

  /** Chunk 3 failed by hand while chunks 0 and 1 run, tolerated: counted failed, never run. */
  @Test
  void aChunkFailedBeforeItsTurnIsNeverRunAndCountsFailed() {
    harness.start("m1", "tolerant-pairs");
    harness.fail("m1", "score[3]");
    harness.stage("m1", "score[0]").finished();
    assertThat(runStages()).containsExactly("score[2]");

    harness.stage("m1", "score[1]").finished();

    assertThat(runStages()).isEmpty();
    assertThat(counters().summary()).isEqualTo("2/4 done, 1 running, 1 failed, 0 queued");
    harness.stage("m1", "score[2]").finished();
    assertThat(runStages()).containsExactly("publish");
  }

  /** Untolerated, a chunk failed before its turn fails the stage once the chunks out end, naming it. */
  @Test
  void aChunkFailedBeforeItsTurnFailsTheStageNamingIt() {
    harness.start("m1", "pairs");
    harness.fail("m1", "score[3]");
    harness.stage("m1", "score[0]").finished();
    assertThat(runStages()).as("no new chunk once the stage cannot succeed").isEmpty();

    harness.stage("m1", "score[1]").finished();

    assertThat(harness.mission("m1").stage("score").orElseThrow().status()).isEqualTo(StageStatus.FAILED);
    assertThat(harness.mission("m1").reason().orElseThrow())
        .contains("1 of 4 chunks failed (tolerated: 0): chunks 3; first error: marked failed by ann: bad data; "
            + "1 chunks not started");
  }

  /**
   * A log an earlier version wrote: chunk 3 skipped before its turn, then started all the same
   * when chunk 1 ended. Replayed today it folds, and the next place freed starts nothing more.
   */
  @Test
  void aSkippedChunkStartedByAnEarlierVersionReplaysAndEnds() {
    Mission replayed = new EventAppliers().replay(logWithASkippedChunkStartedAnyway());
    assertThat(replayed.stage("score[3]").orElseThrow().status()).isEqualTo(StageStatus.DISPATCHED);
    MissionEngine engine = new MissionEngine(plans);
    Instant at = replayed.updatedAt().plusSeconds(1);

    Decision decision = assertTimeoutPreemptively(Duration.ofSeconds(20),
        () -> engine.decide(replayed, report("score[2]", 1, at), at));

    assertThat(decision.instructions()).isEmpty();
    Decision last = engine.decide(replayed, report("score[3]", 1, at.plusSeconds(1)), at.plusSeconds(1));
    assertThat(last.instructions()).extracting(StageInstruction::getStage).containsExactly("publish");
  }

  /** Stored by an earlier version, chunk 3 is out at the cursor: a cancel stops it too. */
  @Test
  void aCancelStopsAChunkAnEarlierVersionStartedPastItsCursor() {
    MissionState stored = storedWithCursorAt(logWithASkippedChunkStartedAnyway(), 3);
    Instant at = stored.getUpdatedAt().plusSeconds(1);

    Decision decision = new MissionEngine(plans).decide(MissionStateCodec.fromStored(stored),
        new MissionCommand("m1", new Actor(ActorKind.USER, "ann", null), at, new CancelMission("enough")), at);

    assertThat(decision.instructions()).extracting(StageInstruction::getKind, StageInstruction::getStage)
        .containsExactlyInAnyOrder(tuple(InstructionKind.CANCEL, "score[2]"), tuple(InstructionKind.CANCEL, "score[3]"));
  }

  /** Plan {@code pairs}: score[3] skipped, score[0] and score[1] finished, then score[3] dispatched as before the fix. */
  private List<MissionEvent> logWithASkippedChunkStartedAnyway() {
    harness.start("m1", "pairs").skip("m1", "score[3]").stage("m1", "score[0]").finished()
        .stage("m1", "score[1]").finished();
    List<MissionEvent> log = new ArrayList<>(harness.log("m1"));
    MissionEvent last = log.get(log.size() - 1);
    log.add(event(last, 1, last.getTimestamp(), new StageDispatched("score[3]", "scorer", 1, Map.of("ids", "[4]"), null)));
    return log;
  }

  /** The mission {@code log} folds to, stored with stage score's cursor where an earlier version left it. */
  private static MissionState storedWithCursorAt(List<MissionEvent> log, int next) {
    MissionState stored = MissionStateCodec.toStored(new EventAppliers().replay(log));
    stored.getStages().stream().filter(stage -> stage.getName().equals("score")).findFirst().orElseThrow()
        .getFanOut().setNext(next);
    return stored;
  }

  private static StageReport report(String stage, int attempt, Instant at) {
    return new StageReport("m1", stage, attempt, new Actor(ActorKind.WORKER, "w-1", "h1"), at,
        new ReportFinished(Map.of()));
  }

  /** A chunk retried while max_parallel chunks are out waits for a place, and goes first when one frees. */
  @Test
  void aChunkRetriedByHandWaitsForAPlaceWithinMaxParallel() {
    harness.start("m1", "tolerant-pairs");
    harness.stage("m1", "score[0]").failedForGood("bad ids");
    assertThat(runStages()).containsExactly("score[2]");

    harness.retry("m1", "score[0]", false);

    assertThat(runStages()).isEmpty();
    assertThat(counters().summary()).isEqualTo("0/4 done, 2 running, 0 failed, 2 queued");
    harness.stage("m1", "score[1]").finished();
    assertThat(runs()).extracting(StageInstruction::getStage, StageInstruction::getAttempt)
        .containsExactly(tuple("score[0]", 2));
    harness.stage("m1", "score[2]").finished();
    assertThat(runStages()).containsExactly("score[3]");
    harness.stage("m1", "score[0]").attempt(2).finished().stage("m1", "score[3]").finished();
    assertThat(runStages()).containsExactly("publish");
  }
}
