package io.groundcontrol.mission;

import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.results.ResultIndex;
import io.groundcontrol.schema.AwaitResult;
import io.groundcontrol.schema.MissionStatus;
import io.groundcontrol.schema.RejectionReason;
import io.groundcontrol.schema.ResultAnswer;
import io.groundcontrol.schema.ResultEntry;
import io.groundcontrol.schema.ResultRequest;
import io.groundcontrol.schema.StageRef;
import io.groundcontrol.schema.StageStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The flowops review's findings on data flow x result reuse x manual operations: a report naming
 * a fan-out stage rather than a chunk, and a key left claimed for ever by a stale RunStage answer.
 */
class FlowOpsFindingsTest {
  private static final long HOUR = 3_600_000;

  private static MissionHarness fannedOut(TestPlan plan) {
    MissionHarness harness = new MissionHarness(new InMemoryPlans().apply(plan));
    harness.start("m1", "fan").stage("m1", "list").finished(Map.of("ids", "[1,2]"));
    assertThat(harness.mission("m1").stage("score").orElseThrow().status()).isEqualTo(StageStatus.RUNNING);
    return harness;
  }

  private static TestPlan fanPlan() {
    return TestPlan.named("fan")
        .stage("list", "sql")
        .stage("score", "ml", Map.of("ids", "\"${chunk.items}\""), "list").foreach("${stages.list.outputs.ids}", 1, 2)
        .retry(3, 1000);
  }

  /**
   * A finish naming the fan-out stage itself would finish it while a chunk is still out, and run
   * its downstream with a fan-in of chunks that have not finished.
   */
  @Test
  void aReportOnTheFanOutStageItselfDoesNotFinishItWhileChunksAreOut() {
    MissionHarness harness = fannedOut(fanPlan()
        .stage("publish", "sql", Map.of("counts", "\"${stages.score.outputs.count}\""), "score"));
    harness.stage("m1", "score[0]").finished(Map.of("count", "10"));

    harness.attempt("m1", "score", 1).finished(Map.of("count", "99"));

    assertThat(harness.lastRejectionCode()).isEqualTo(RejectionReason.WRONG_STAGE_STATE);
    assertThat(harness.lastRejection()).isEqualTo("Expected a report on a chunk of stage 'score' of mission 'm1', such as"
        + " 'score[0]': it runs in chunks, and no worker runs the stage itself, but the report names 'score'");
    assertThat(harness.mission("m1").stage("score").orElseThrow().status()).isEqualTo(StageStatus.RUNNING);
    assertThat(harness.mission("m1").status()).isEqualTo(MissionStatus.RUNNING);
  }

  /**
   * A retryable failure naming the fan-out stage itself would schedule a retry whose timer sends
   * the stage as a plain one, its {@code ${chunk.items}} unresolved.
   */
  @Test
  void aFailureReportOnTheFanOutStageItselfDoesNotRetryItAsAPlainStage() {
    MissionHarness harness = fannedOut(fanPlan());

    harness.attempt("m1", "score", 1).failed("stray");

    assertThat(harness.lastEvents()).containsExactly("InputRejected");
    assertThat(harness.timers()).noneMatch(t -> t.stage().equals("score"));
    assertThat(harness.mission("m1").stage("score").orElseThrow().status()).isEqualTo(StageStatus.RUNNING);
  }

  /** A heartbeat naming the fan-out stage itself would watch its liveness, whose expiry fails it. */
  @Test
  void aHeartbeatOnTheFanOutStageItselfIsRejected() {
    MissionHarness harness = fannedOut(fanPlan());

    harness.attempt("m1", "score", 1).heartbeat(5_000L);

    assertThat(harness.lastRejection()).contains("such as 'score[0]'");
    assertThat(harness.timers()).noneMatch(t -> t.stage().equals("score"));
  }

  /**
   * A RunStage answer still on its way when the stage is failed by hand and retried (or restarted
   * by allow_if_failed) answers the earlier lookup: the stage, asking again, does not run on it but
   * declines it under that lookup's number, and the index, which made the stage a waiter for its new
   * lookup, keeps it so. The claim passes to it when the claimant fails, and it runs then. No claim
   * may rest for ever with a stage that will not run: every later identical stage, in any mission,
   * would wait for it (AWAITING_RESULT) once the newest result is older than its max_age.
   */
  @Test
  void aStaleRunStageAnswerDoesNotLeaveTheKeyClaimedForEver() {
    InMemoryPlans plans = new InMemoryPlans().apply(TestPlan.named("daily")
        .stage("extract", "warehouse", Map.of("day", "\"d1\"")).reuse(HOUR));
    MissionHarness harness = new MissionHarness(plans);
    Index index = new Index();

    harness.start("m1", "daily");
    List<ResultAnswer> toM1 = index.take(harness.lastResultRequests(), harness); // m1 claims; RunStage in flight
    harness.start("m2", "daily");
    ResultAnswer m2Waits = index.take(harness.lastResultRequests(), harness).get(0);
    assertThat(m2Waits.getAnswer()).isInstanceOf(AwaitResult.class);
    harness.resultAnswer(m2Waits);

    harness.fail("m1", "extract"); // while AWAITING_RESULT: tells the index it abandons
    List<ResultRequest> abandoned = harness.lastResultRequests();
    harness.retry("m1", "extract", false); // asks again
    List<ResultRequest> askedAgain = harness.lastResultRequests();

    harness.resultAnswer(toM1.get(0)); // the first RunStage arrives now
    assertThat(harness.mission("m1").stage("extract").orElseThrow().status())
        .as("m1 does not run on the answer to its first lookup").isEqualTo(StageStatus.AWAITING_RESULT);
    List<ResultRequest> declined = harness.lastResultRequests();
    assertThat(declined).extracting(ResultRequest::getAsk).containsExactly(toM1.get(0).getAsk());

    // The index reads the abandonment (the claim passes to m2), the second lookup (m1 waits for m2)
    // and the decline, which leaves m1 waiting.
    ResultAnswer m2Runs = index.take(abandoned, harness).get(0);
    ResultAnswer m1Waits = index.take(askedAgain, harness).get(0);
    assertThat(index.take(declined, harness)).isEmpty();
    assertThat(index.entry().getWaiters()).extracting(StageRef::getMissionId).containsExactly("m1");
    harness.resultAnswer(m2Runs);
    harness.resultAnswer(m1Waits);

    harness.stage("m2", "extract").failedForGood("disk full");
    List<ResultAnswer> passed = index.take(harness.lastResultRequests(), harness);
    assertThat(passed).extracting(ResultAnswer::getMissionId).as("the claim passes to m1").containsExactly("m1");
    passed.forEach(harness::resultAnswer);
    assertThat(harness.mission("m1").stage("extract").orElseThrow().status()).isEqualTo(StageStatus.DISPATCHED);
    harness.stage("m1", "extract").finished(Map.of("table", "\"t\""));
    index.take(harness.lastResultRequests(), harness);

    assertThat(harness.mission("m1").status()).isEqualTo(MissionStatus.FINISHED);
    assertThat(index.entry().getClaim()).as("no stage of an ended mission holds the key: %s", index.entry()).isNull();
    assertThat(index.entry().getWaiters()).isEmpty();

    // Two hours later m1's result is too old, and m3 asks.
    harness.sweep("nobody", Duration.ofHours(2));
    harness.start("m3", "daily");
    index.take(harness.lastResultRequests(), harness).forEach(harness::resultAnswer);
    assertThat(harness.mission("m3").stage("extract").orElseThrow().status())
        .as("m3's stage runs rather than waiting for a claim nobody holds")
        .isEqualTo(StageStatus.DISPATCHED);
  }

  /** One key's entry of the results index, deciding requests as the results sub-topology does. */
  private static final class Index {
    private ResultEntry entry;

    List<ResultAnswer> take(List<ResultRequest> requests, MissionHarness harness) {
      List<ResultAnswer> answers = new ArrayList<>();
      for (ResultRequest request : requests) {
        ResultIndex.Outcome outcome = ResultIndex.decide(entry, request, harness.now());
        entry = outcome.entry();
        answers.addAll(outcome.answers());
      }
      return answers;
    }

    ResultEntry entry() {
      return entry == null ? new ResultEntry(null, null, List.of()) : entry;
    }
  }
}
