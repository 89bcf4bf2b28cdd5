package io.groundcontrol.mission;

import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.schema.AwaitResult;
import io.groundcontrol.schema.CauseKind;
import io.groundcontrol.schema.LookupResult;
import io.groundcontrol.schema.MissionEvent;
import io.groundcontrol.schema.MissionStatus;
import io.groundcontrol.schema.RejectionReason;
import io.groundcontrol.schema.ResultAbandoned;
import io.groundcontrol.schema.ResultAnswer;
import io.groundcontrol.schema.ResultProduced;
import io.groundcontrol.schema.ResultRequest;
import io.groundcontrol.schema.ReuseResult;
import io.groundcontrol.schema.RunStage;
import io.groundcontrol.schema.StageDispatched;
import io.groundcontrol.schema.StageInstruction;
import io.groundcontrol.schema.StageStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Reuse of fresh results, as the missions side decides it: ask, then reuse, wait or run. */
class ReuseTest {
  private static final long HOUR = 3_600_000;
  private final InMemoryPlans plans = new InMemoryPlans().apply(TestPlan.named("daily")
      .param("day", "\"2026-11-22\"")
      .stage("extract", "warehouse", Map.of("day", "\"${params.day}\"")).reuse(HOUR)
      .stage("train", "ml", Map.of("table", "\"${stages.extract.outputs.table}\""), "extract"));
  private final MissionHarness harness = new MissionHarness(plans);

  private StageStatus status(String stage) {
    return harness.mission("m1").stage(stage).orElseThrow().status();
  }

  private long resultAsk(String missionId, String stage) {
    return harness.mission(missionId).stage(stage).orElseThrow().resultAsk();
  }

  @Test
  void aStageWithAReusePolicyAsksTheIndexInsteadOfRunning() {
    harness.start("m1", "daily");

    assertThat(harness.lastEvents()).containsExactly("MissionStarted", "StageResultRequested");
    assertThat(harness.lastInstructions()).isEmpty();
    assertThat(status("extract")).isEqualTo(StageStatus.AWAITING_RESULT);
    ResultRequest lookup = harness.lastResultRequests().get(0);
    assertThat(lookup.getRequest()).isEqualTo(new LookupResult(HOUR));
    assertThat(lookup.getResultKey())
        .isEqualTo(ResultKeys.of("warehouse", Map.of("day", "\"2026-11-22\"")))
        .isEqualTo(harness.mission("m1").stage("extract").orElseThrow().resultKey().orElseThrow());
    assertThat(harness.mission("m1").status()).as("waiting for an answer is pending work").isEqualTo(MissionStatus.RUNNING);
  }

  @Test
  void aFreshResultEndsTheStageReusedAndItsOutputsFlowDownstream() {
    Instant finishedAt = Instant.parse("2026-11-22T09:48:00Z");
    harness.start("m1", "daily").resultAnswer("m1", "extract",
        new ReuseResult("m-0", "extract", finishedAt, Map.of("table", "\"staging.events\"")));

    assertThat(harness.lastEvents()).containsExactly("StageReused", "StageDispatched");
    assertThat(harness.lastEventRecords().get(0).getCause().getKind()).isEqualTo(CauseKind.RESULTS);
    assertThat(status("extract")).isEqualTo(StageStatus.REUSED);
    StageView extract = harness.mission("m1").stage("extract").orElseThrow();
    assertThat(extract.outputs()).containsEntry("table", "\"staging.events\"");
    assertThat(extract.reusedFrom().orElseThrow().getMissionId()).isEqualTo("m-0");
    assertThat(harness.lastInstructions()).extracting(StageInstruction::getStage).containsExactly("train");
    assertThat(harness.lastInstructions().get(0).getParams()).containsEntry("table", "\"staging.events\"");

    harness.stage("m1", "train").finished();
    assertThat(harness.mission("m1").status()).isEqualTo(MissionStatus.FINISHED);
  }

  @Test
  void runTheStageAndTellTheIndexItsResult() {
    harness.start("m1", "daily").resultAnswer("m1", "extract", new RunStage());

    assertThat(harness.lastEvents()).containsExactly("StageDispatched");
    StageDispatched dispatched = (StageDispatched) harness.lastEventRecords().get(0).getEvent();
    assertThat(dispatched.getResultKey()).isEqualTo(harness.mission("m1").stage("extract").orElseThrow().resultKey().get());
    assertThat(harness.lastInstructions()).extracting(StageInstruction::getStage).containsExactly("extract");

    harness.stage("m1", "extract").finished(Map.of("table", "\"t\""));
    assertThat(harness.lastResultRequests()).singleElement().satisfies(r -> {
      assertThat(r.getRequest()).isInstanceOf(ResultProduced.class);
      assertThat(((ResultProduced) r.getRequest()).getOutputs()).containsEntry("table", "\"t\"");
      assertThat(r.getResultKey()).isEqualTo(dispatched.getResultKey());
    });
  }

  /**
   * The results index stamps its answer with the time of the lookup it answers, the start's here;
   * meanwhile the mission logged a worker's report of a stage beside it (measured on a dev: the
   * reuse logged 0.6 s before the report logged ahead of it). The reuse and what it dispatches are
   * logged no earlier than that report.
   */
  @Test
  void anAnswerStampedBeforeTheMissionsLastEventIsLoggedNoEarlier() {
    MissionHarness h = new MissionHarness(new InMemoryPlans().apply(TestPlan.named("scoring")
        .stage("list_ids", "catalog")
        .stage("features", "featurestore").reuse(HOUR)
        .stage("score", "scorer", "list_ids", "features")));
    h.start("m1", "scoring");
    Instant lookedUp = h.lastEventRecords().get(0).getTimestamp();
    h.stage("m1", "list_ids").finished();
    Instant reported = h.lastEventRecords().get(0).getTimestamp();

    h.resultAnswerStampedAt("m1", "features",
        new ReuseResult("m-0", "features", lookedUp.minusSeconds(60), Map.of("table", "\"f\"")), lookedUp);

    assertThat(h.lastEvents()).containsExactly("StageReused", "StageDispatched");
    assertThat(h.lastEventRecords()).allSatisfy(e -> assertThat(e.getTimestamp()).isEqualTo(reported));
    assertThat(h.mission("m1").stage("features").orElseThrow().updatedAt()).isEqualTo(reported);
    List<MissionEvent> log = h.log("m1");
    for (int i = 1; i < log.size(); i++) {
      assertThat(log.get(i).getTimestamp()).as("event " + log.get(i).getSequence())
          .isAfterOrEqualTo(log.get(i - 1).getTimestamp());
    }
  }

  @Test
  void waitingForAnIdenticalStageIsRecordedAndKeepsTheStageWaiting() {
    harness.start("m1", "daily").resultAnswer("m1", "extract", new AwaitResult("m-0", "extract"));

    assertThat(harness.lastEvents()).containsExactly("StageAwaitingResult");
    assertThat(status("extract")).isEqualTo(StageStatus.AWAITING_RESULT);
    assertThat(harness.lastInstructions()).isEmpty();
  }

  @Test
  void noReuseRunsAtOnceButStillIndexesTheResult() {
    harness.startWithoutReuse("m1", "daily");

    assertThat(harness.lastEvents()).containsExactly("MissionStarted", "StageDispatched");
    assertThat(harness.lastResultRequests()).isEmpty();
    assertThat(harness.mission("m1").noReuse()).isTrue();

    harness.stage("m1", "extract").finished(Map.of("table", "\"t\""));
    assertThat(harness.lastResultRequests()).extracting(r -> r.getRequest().getClass().getSimpleName())
        .containsExactly("ResultProduced");
  }

  @Test
  void aStageThatEndsWithoutAResultTellsTheIndexSoWaitersRunThemselves() {
    harness.start("m1", "daily").resultAnswer("m1", "extract", new RunStage())
        .stage("m1", "extract").failedForGood("bad query");

    assertThat(harness.lastResultRequests()).extracting(r -> r.getRequest().getClass().getSimpleName())
        .containsExactly("ResultAbandoned");
  }

  @Test
  void aRetryableFailureKeepsTheClaim() {
    InMemoryPlans retrying = new InMemoryPlans().apply(TestPlan.named("r")
        .stage("extract", "warehouse").reuse(HOUR).retry(2, 1000));
    MissionHarness h = new MissionHarness(retrying);
    h.start("m1", "r").resultAnswer("m1", "extract", new RunStage()).stage("m1", "extract").failed("flaky");

    assertThat(h.lastEvents()).containsExactly("StageFailed", "StageRetryScheduled");
    assertThat(h.lastResultRequests()).isEmpty();
  }

  @Test
  void cancellingWhileWaitingTellsTheIndex() {
    harness.start("m1", "daily").cancel("m1");

    assertThat(harness.lastResultRequests()).singleElement()
        .satisfies(r -> assertThat(r.getRequest()).isInstanceOf(ResultAbandoned.class));
  }

  @Test
  void skippingWhileWaitingTellsTheIndexAndReleasesDownstream() {
    harness.start("m1", "daily").skip("m1", "extract");

    assertThat(harness.lastResultRequests()).extracting(r -> r.getRequest().getClass().getSimpleName())
        .containsExactly("ResultAbandoned");
    assertThat(status("train")).as("train needs extract's outputs, which a skipped stage has not")
        .isEqualTo(StageStatus.FAILED);
  }

  @Test
  void anAnswerForAStageNoLongerWaitingIsRejected() {
    harness.start("m1", "daily").resultAnswer("m1", "extract", new RunStage());
    harness.resultAnswer("m1", "extract", new RunStage());

    assertThat(harness.lastRejection())
        .isEqualTo("Expected stage 'extract' to be AWAITING_RESULT for this result, but it is DISPATCHED");
    assertThat(harness.lastResultRequests()).as("the stage runs on the key: its claim stands").isEmpty();
  }

  @Test
  void aRunStageAnswerTheStageCannotTakeUpGivesTheClaimBack() {
    harness.start("m1", "daily").resultAnswer("m1", "extract", new RunStage())
        .stage("m1", "extract").finished(Map.of("table", "\"t\"")).stage("m1", "train").finished();
    assertThat(harness.mission("m1").status()).isEqualTo(MissionStatus.FINISHED);
    String key = harness.mission("m1").stage("extract").flatMap(StageView::resultKey).orElseThrow();

    harness.resultAnswer("m1", "extract", new RunStage());

    assertThat(harness.lastEvents()).containsExactly("InputRejected");
    assertThat(harness.lastResultRequests()).as("the claim passed to a stage that will not run goes back")
        .containsExactly(new ResultRequest(key, "m1", "extract", new ResultAbandoned(), resultAsk("m1", "extract")));
  }

  /** A cancelled mission's stages keep their status, but none of them will end with a result or an abandonment. */
  @Test
  void aRunStageAnswerForAStageOfACancelledMissionGivesTheClaimBack() {
    harness.start("m1", "daily").resultAnswer("m1", "extract", new RunStage()).cancel("m1");
    assertThat(status("extract")).isEqualTo(StageStatus.DISPATCHED);
    String key = harness.mission("m1").stage("extract").flatMap(StageView::resultKey).orElseThrow();

    harness.resultAnswer("m1", "extract", new RunStage());

    assertThat(harness.lastEvents()).containsExactly("InputRejected");
    assertThat(harness.lastResultRequests()).as("the claim passed to a stage that will not run goes back")
        .containsExactly(new ResultRequest(key, "m1", "extract", new ResultAbandoned(), resultAsk("m1", "extract")));
  }

  /** m1's stage looked up, was failed by hand and retried: its lookup now is the second. */
  private ResultAnswer askedAgain(Object answer) {
    harness.start("m1", "daily");
    ResultRequest first = harness.lastResultRequests().get(0);
    harness.fail("m1", "extract").retry("m1", "extract", false);
    ResultRequest second = harness.lastResultRequests().get(0);
    assertThat(first.getAsk()).as("the lookup is numbered by its event's sequence").isPositive();
    assertThat(second.getAsk()).isGreaterThan(first.getAsk()).isEqualTo(resultAsk("m1", "extract"));
    return new ResultAnswer("m1", "extract", first.getResultKey(), answer, first.getAsk());
  }

  @Test
  void aStaleNumberedRunStageIsDeclinedWithItsOwnAskEvenWhenTheStageIsOutOnTheKey() {
    ResultAnswer stale = askedAgain(new RunStage());
    harness.resultAnswer("m1", "extract", new RunStage());
    assertThat(status("extract")).isEqualTo(StageStatus.DISPATCHED);

    harness.resultAnswer(stale);

    assertThat(harness.lastRejectionCode()).isEqualTo(RejectionReason.WRONG_STAGE_STATE);
    assertThat(harness.lastResultRequests()).as("the index keeps the claim of the newer lookup, and ends the older")
        .containsExactly(new ResultRequest(stale.getResultKey(), "m1", "extract", new ResultAbandoned(), stale.getAsk()));
  }

  @Test
  void aStaleRunStageIsNotRunOnWhileTheStageAwaitsItsNewerLookup() {
    harness.resultAnswer(askedAgain(new RunStage()));

    assertThat(harness.lastRejectionCode()).isEqualTo(RejectionReason.STALE_ATTEMPT);
    assertThat(harness.lastRejection()).contains("answers an earlier lookup");
    assertThat(status("extract")).isEqualTo(StageStatus.AWAITING_RESULT);
    assertThat(harness.lastInstructions()).isEmpty();
  }

  @Test
  void aStaleReuseResultIsRejected() {
    harness.resultAnswer(askedAgain(new ReuseResult("m-0", "extract", Instant.parse("2026-11-22T07:00:00Z"), Map.of())));

    assertThat(harness.lastEvents()).containsExactly("InputRejected");
    assertThat(harness.lastResultRequests()).isEmpty();
    assertThat(status("extract")).isEqualTo(StageStatus.AWAITING_RESULT);
  }

  @Test
  void aStaleAwaitResultIsRejectedAndRecordsNoWait() {
    harness.resultAnswer(askedAgain(new AwaitResult("m-0", "extract")));

    assertThat(harness.lastEvents()).containsExactly("InputRejected");
    assertThat(harness.lastResultRequests()).isEmpty();
  }

  @Test
  void aStageFailedWhileItAwaitsItsAnswerEndsItsLookupUnderItsNumber() {
    harness.start("m1", "daily");
    long first = resultAsk("m1", "extract");
    harness.fail("m1", "extract");

    assertThat(resultAsk("m1", "extract")).isEqualTo(first);
    assertThat(harness.lastResultRequests()).extracting(ResultRequest::getAsk).containsExactly(first);
  }

  @Test
  void theResultKeyIgnoresKeyOrderAndSpacingButNotValuesOrComponent() {
    String key = ResultKeys.of("warehouse", Map.of("q", "{\"a\": 1, \"b\": [1, 2]}", "day", "\"d\""));

    assertThat(ResultKeys.of("warehouse", Map.of("day", "\"d\"", "q", "{\"b\":[1,2],\"a\":1}"))).isEqualTo(key);
    assertThat(ResultKeys.of("warehouse", Map.of("day", "\"d\"", "q", "{\"b\":[2,1],\"a\":1}"))).isNotEqualTo(key);
    assertThat(ResultKeys.of("ml", Map.of("day", "\"d\"", "q", "{\"a\": 1, \"b\": [1, 2]}"))).isNotEqualTo(key);
  }
}
