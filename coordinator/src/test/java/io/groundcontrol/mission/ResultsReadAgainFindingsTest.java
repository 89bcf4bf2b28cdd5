package io.groundcontrol.mission;

import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.results.ResultIndex;
import io.groundcontrol.schema.AwaitResult;
import io.groundcontrol.schema.ResultAnswer;
import io.groundcontrol.schema.ResultEntry;
import io.groundcontrol.schema.ResultRequest;
import io.groundcontrol.schema.ReuseResult;
import io.groundcontrol.schema.RunStage;
import io.groundcontrol.schema.StageStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The resultsgen review: a results-index request or answer read again (under {@code
 * --at-least-once}, or an input replay) once its stage asks again for a newer lookup. Before
 * lookups were numbered, nothing in a {@link ResultRequest} or {@link ResultAnswer} named the
 * lookup, so the record read again was taken for one about the newer lookup; now each names it
 * and is told apart. Each test pipes the record again by hand, where a crash before the commit
 * would have it read again.
 */
class ResultsReadAgainFindingsTest {
  private static final long HOUR = 3_600_000;

  private final MissionHarness harness = new MissionHarness(new InMemoryPlans()
      .apply(TestPlan.named("daily").stage("extract", "warehouse", Map.of("day", "\"d1\"")).reuse(HOUR))
      .apply(TestPlan.named("fan").param("ids", "[1,2]")
          .stage("score", "scorer", Map.of("ids", "\"${chunk.items}\"")).foreach("${params.ids}", 1, 2).reuse(HOUR)));
  private final Index index = new Index();

  private StageStatus extract(String missionId) {
    return harness.mission(missionId).stage("extract").orElseThrow().status();
  }

  /** The mission's lookups (or ends) reach the index, and its answers reach their missions, in order. */
  private void roundTrip() {
    deliver(index.take(harness.lastResultRequests()));
  }

  /** {@code first} starts and claims the key, and runs; then {@code second} starts and waits for it. */
  private void oneRunsOneWaits(String first, String second) {
    harness.start(first, "daily");
    roundTrip();
    harness.start(second, "daily");
    roundTrip();
    assertThat(extract(second)).isEqualTo(StageStatus.AWAITING_RESULT);
  }

  private void deliver(List<ResultAnswer> answers) {
    answers.forEach(harness::resultAnswer);
  }

  /**
   * m1 claims the key and fails for good: its abandonment passes the claim to the waiter m2, which
   * runs. m1 is retried and asks again: the index makes it a waiter of m2. The abandonment is read
   * again: the index takes m1 off the waiters, as if the new lookup were abandoned too. m2 finishes,
   * the index answers no one, and m1 waits AWAITING_RESULT for ever (its mission never ends).
   */
  @Test
  void anAbandonmentReadAgainDoesNotLeaveTheStageThatAskedAgainWaitingForEver() {
    oneRunsOneWaits("m1", "m2");
    harness.stage("m1", "extract").failedForGood("disk full");
    List<ResultRequest> abandoned = harness.lastResultRequests();
    deliver(index.take(abandoned)); // the claim passes to m2, which runs
    assertThat(extract("m2")).isEqualTo(StageStatus.DISPATCHED);
    harness.retry("m1", "extract", false);
    roundTrip(); // m1 waits for m2
    assertThat(extract("m1")).isEqualTo(StageStatus.AWAITING_RESULT);

    index.take(abandoned); // read again

    harness.stage("m2", "extract").finished(Map.of("table", "\"t\""));
    roundTrip();
    assertThat(extract("m1")).as("m1 gets m2's result, which it waits for").isEqualTo(StageStatus.REUSED);
  }

  /**
   * m1 claims the key, fails for good (the claim goes back) and is retried: it claims again and
   * runs. m2 asks and waits for m1. m1's first abandonment is read again: the index takes it for the
   * end of the run now out and passes the claim to m2, which runs beside m1: two identical stages at
   * once, what the index exists to prevent.
   */
  @Test
  void anAbandonmentReadAgainDoesNotPassOnTheClaimOfTheStageThatRunsAgain() {
    harness.start("m1", "daily");
    roundTrip();
    harness.stage("m1", "extract").failedForGood("disk full");
    List<ResultRequest> abandoned = harness.lastResultRequests();
    index.take(abandoned);
    harness.retry("m1", "extract", false);
    roundTrip(); // m1 claims again and runs
    assertThat(extract("m1")).isEqualTo(StageStatus.DISPATCHED);
    harness.start("m2", "daily");
    roundTrip(); // m2 waits for m1

    deliver(index.take(abandoned)); // read again

    assertThat(extract("m2")).as("m2 waits for m1, which runs").isEqualTo(StageStatus.AWAITING_RESULT);
    assertThat(index.entry("m1", "extract").getClaim().getMissionId()).isEqualTo("m1");
  }

  /**
   * m1 waits for m0; m0 finishes and the index sends m1 that result. m1 is failed by hand before the
   * answer arrives (rejected then). Two hours later m1 is retried and asks again under max_age 1h:
   * the result is too old, and the index lets m1 run. The old answer is read again first: m1 takes
   * it and ends REUSED with a result two hours old; the RunStage then finds it ended and gives the
   * claim back.
   */
  @Test
  void aReuseAnswerReadAgainDoesNotReuseAResultOlderThanMaxAgeForTheNewerLookup() {
    oneRunsOneWaits("m0", "m1");
    harness.stage("m0", "extract").finished(Map.of("table", "\"t\""));
    List<ResultAnswer> toM1 = index.take(harness.lastResultRequests());
    assertThat(toM1.get(0).getAnswer()).isInstanceOf(ReuseResult.class);
    harness.fail("m1", "extract");
    index.take(harness.lastResultRequests());
    deliver(toM1); // rejected: m1's stage is FAILED

    harness.sweep("nobody", Duration.ofHours(2));
    harness.retry("m1", "extract", false);
    List<ResultAnswer> runs = index.take(harness.lastResultRequests());
    assertThat(runs.get(0).getAnswer()).as("the index finds the result too old").isInstanceOf(RunStage.class);

    deliver(toM1); // read again
    deliver(runs);

    assertThat(extract("m1")).as("m1 runs, as the index answered its lookup").isEqualTo(StageStatus.DISPATCHED);
  }

  /**
   * m1 claims and runs, fails for good (the claim goes back); m2 claims and runs. m1 is retried and
   * asks again: the index makes it a waiter of m2. m1's first RunStage is read again: m1 takes it
   * for the answer to its new lookup and runs beside m2, two identical stages at once (2de1e5b made
   * this leave nothing claimed; it still runs).
   */
  @Test
  void aRunStageAnswerReadAgainDoesNotRunAStageTheIndexMadeAWaiter() {
    harness.start("m1", "daily");
    List<ResultAnswer> m1Runs = index.take(harness.lastResultRequests());
    deliver(m1Runs);
    harness.stage("m1", "extract").failedForGood("disk full");
    index.take(harness.lastResultRequests());
    harness.start("m2", "daily");
    roundTrip(); // m2 claims and runs
    harness.retry("m1", "extract", false);
    List<ResultAnswer> m1Waits = index.take(harness.lastResultRequests());
    assertThat(m1Waits.get(0).getAnswer()).isInstanceOf(AwaitResult.class);

    deliver(m1Runs); // read again
    deliver(m1Waits);

    assertThat(extract("m2")).isEqualTo(StageStatus.DISPATCHED);
    assertThat(extract("m1")).as("m1 waits for m2").isEqualTo(StageStatus.AWAITING_RESULT);
  }

  /**
   * m1's chunk score[0] claims its key, runs and finishes; score[1] fails for good, failing score.
   * Two hours later (the result too old for max_age 1h) m2 runs the same chunks, and m1's score is
   * retried: its chunks fan out again and score[0] asks again, a waiter of m2's score[0]. m1's
   * score[0] result is read again: the index takes m1's score[0] off the waiters, as if the new
   * lookup had its result. m2's score[0] finishes, the index answers no one, and m1's score[0] waits
   * AWAITING_RESULT for ever.
   */
  @Test
  void aResultReadAgainDoesNotLeaveTheStageThatAskedAgainWaitingForEver() {
    harness.start("m1", "fan");
    roundTrip(); // both chunks claim their keys and run
    harness.stage("m1", "score[0]").finished(Map.of("n", "1"));
    List<ResultRequest> produced = harness.lastResultRequests();
    index.take(produced);
    harness.stage("m1", "score[1]").failedForGood("bad id");
    index.take(harness.lastResultRequests());
    assertThat(harness.mission("m1").stage("score").orElseThrow().status()).isEqualTo(StageStatus.FAILED);
    harness.sweep("nobody", Duration.ofHours(2));
    harness.start("m2", "fan");
    roundTrip(); // m2's chunks claim and run
    harness.retry("m1", "score", false);
    roundTrip(); // m1's chunks wait for m2's
    assertThat(harness.mission("m1").stage("score[0]").orElseThrow().status()).isEqualTo(StageStatus.AWAITING_RESULT);

    index.take(produced); // read again

    harness.stage("m2", "score[0]").finished(Map.of("n", "1"));
    roundTrip();
    assertThat(harness.mission("m1").stage("score[0]").orElseThrow().status())
        .as("m1's score[0] gets the result of m2's, which it waits for").isEqualTo(StageStatus.REUSED);
  }

  /**
   * The opposite way: m0's chunk score[0] finishes (score[1] fails). 59 minutes later m1's chunks ask:
   * score[0] reuses that result, score[1] runs and fails for good, failing score. Two minutes later
   * score is retried and its chunks ask again; the result is 61 minutes old now, too old for max_age
   * 1h. The index reads m1's first lookups again before the new ones: it measures the age at the first
   * lookup's time, finds the result fresh and sends it; m1's score[0], AWAITING_RESULT for its new
   * lookup, takes it and reuses a result older than its max_age.
   */
  @Test
  void aLookupReadAgainDoesNotReuseAResultOlderThanMaxAgeForTheNewerLookup() {
    harness.start("m0", "fan");
    roundTrip();
    harness.stage("m0", "score[0]").finished(Map.of("n", "1"));
    index.take(harness.lastResultRequests());
    harness.stage("m0", "score[1]").failedForGood("bad id");
    index.take(harness.lastResultRequests());
    harness.sweep("nobody", Duration.ofMinutes(59));
    harness.start("m1", "fan");
    List<ResultRequest> firstLookups = harness.lastResultRequests();
    Instant firstAsked = harness.now();
    roundTrip();
    assertThat(harness.mission("m1").stage("score[0]").orElseThrow().status()).isEqualTo(StageStatus.REUSED);
    harness.stage("m1", "score[1]").failedForGood("bad id");
    index.take(harness.lastResultRequests());
    harness.sweep("nobody", Duration.ofMinutes(2));
    harness.retry("m1", "score", false);
    List<ResultRequest> secondLookups = harness.lastResultRequests();

    deliver(index.take(firstLookups, firstAsked)); // read again, stamped as when first written
    deliver(index.take(secondLookups));

    assertThat(harness.mission("m1").stage("score[0]").orElseThrow().status())
        .as("m1's score[0] runs, as the index answered its lookup: the result is too old").isEqualTo(StageStatus.DISPATCHED);
  }

  /**
   * m1 asks, claims the key and runs; m1 is cancelled, which gives the claim back. m1's lookup is
   * read again: the index makes m1 the claimant again and answers RunStage. m1's stage keeps its
   * status when cancelled (DISPATCHED, "out on the key"), so the mission took it for a stage that
   * will end with a result or an abandonment of its own and kept the claim: no such end comes, and
   * m2, asking next, waits AWAITING_RESULT for ever.
   */
  @Test
  void aLookupReadAgainAfterItsMissionWasCancelledDoesNotKeepTheKeyClaimedForEver() {
    harness.start("m1", "daily");
    List<ResultRequest> lookup = harness.lastResultRequests();
    deliver(index.take(lookup));
    assertThat(extract("m1")).isEqualTo(StageStatus.DISPATCHED);
    harness.cancel("m1");
    index.take(harness.lastResultRequests());
    assertThat(index.entry("m1", "extract").getClaim()).isNull();

    deliver(index.take(lookup)); // read again
    index.take(harness.lastResultRequests());

    assertThat(index.entry("m1", "extract").getClaim()).as("no stage of a cancelled mission holds the key").isNull();
    harness.start("m2", "daily");
    roundTrip();
    assertThat(extract("m2")).as("m2 runs rather than waiting for m1").isEqualTo(StageStatus.DISPATCHED);
  }

  /** The results index, deciding requests as the results sub-topology does, each in its key's entry. */
  private final class Index {
    private final Map<String, ResultEntry> entries = new HashMap<>();

    /** Requests the last input wrote, read now. */
    List<ResultAnswer> take(List<ResultRequest> requests) {
      return take(requests, harness.now());
    }

    /** Requests stamped {@code at}, as the mission wrote them. */
    List<ResultAnswer> take(List<ResultRequest> requests, Instant at) {
      List<ResultAnswer> answers = new ArrayList<>();
      for (ResultRequest request : requests) {
        String key = request.getResultKey();
        ResultIndex.Outcome outcome = ResultIndex.decide(entries.get(key), request, at);
        entries.compute(key, (k, stored) -> outcome.entry());
        answers.addAll(outcome.answers());
      }
      return answers;
    }

    /** The entry of the key of a mission's stage. */
    ResultEntry entry(String missionId, String stage) {
      String key = harness.mission(missionId).stage(stage).orElseThrow().resultKey().orElseThrow();
      return entries.getOrDefault(key, new ResultEntry(null, null, List.of()));
    }
  }
}
