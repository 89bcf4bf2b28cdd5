package io.groundcontrol.results;

import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.schema.AwaitResult;
import io.groundcontrol.schema.LookupResult;
import io.groundcontrol.schema.ResultAbandoned;
import io.groundcontrol.schema.ResultAnswer;
import io.groundcontrol.schema.ResultEntry;
import io.groundcontrol.schema.ResultProduced;
import io.groundcontrol.schema.ResultRequest;
import io.groundcontrol.schema.ReuseResult;
import io.groundcontrol.schema.RunStage;
import io.groundcontrol.schema.StageRef;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The results index's rules for one key, with no Kafka: fresh, wait or run. */
class ResultIndexTest {
  private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
  private static final long HOUR = Duration.ofHours(1).toMillis();
  private ResultEntry entry;

  private List<ResultAnswer> send(String mission, Object request, Instant at) {
    return send(mission, 0, request, at);
  }

  /** Sends a request about lookup {@code ask} of the mission's stage. */
  private List<ResultAnswer> send(String mission, long ask, Object request, Instant at) {
    ResultIndex.Outcome outcome = ResultIndex.decide(entry, new ResultRequest("k", mission, "extract", request, ask), at);
    entry = outcome.entry();
    return outcome.answers();
  }

  private static Object kindOf(ResultAnswer answer) {
    return answer.getAnswer().getClass().getSimpleName() + "->" + answer.getMissionId();
  }

  @Test
  void theFirstAskerRunsAndAnIdenticalOneWaitsForItsResult() {
    assertThat(send("m1", new LookupResult(HOUR), T0)).extracting(ResultIndexTest::kindOf).containsExactly("RunStage->m1");
    List<ResultAnswer> second = send("m2", new LookupResult(HOUR), T0);

    assertThat(second).extracting(ResultIndexTest::kindOf).containsExactly("AwaitResult->m2");
    assertThat(second.get(0).getAnswer()).isEqualTo(new AwaitResult("m1", "extract"));
    List<ResultAnswer> produced = send("m1", new ResultProduced(T0.plusSeconds(60), Map.of("t", "1")), T0.plusSeconds(60));
    assertThat(produced).extracting(ResultIndexTest::kindOf).containsExactly("ReuseResult->m2");
    assertThat(((ReuseResult) produced.get(0).getAnswer()).getOutputs()).containsEntry("t", "1");
    assertThat(entry.getClaim()).isNull();
    assertThat(entry.getWaiters()).isEmpty();
  }

  @Test
  void aResultYoungerThanTheAskersMaxAgeIsReusedAnOlderOneIsNot() {
    send("m1", new LookupResult(HOUR), T0);
    send("m1", new ResultProduced(T0, Map.of()), T0);

    assertThat(send("m2", new LookupResult(HOUR), T0.plus(Duration.ofMinutes(59))))
        .extracting(ResultIndexTest::kindOf).containsExactly("ReuseResult->m2");
    assertThat(send("m3", new LookupResult(Duration.ofMinutes(30).toMillis()), T0.plus(Duration.ofMinutes(31))))
        .as("the asker's own max age counts").extracting(ResultIndexTest::kindOf).containsExactly("RunStage->m3");
    assertThat(send("m4", new LookupResult(HOUR), T0.plus(Duration.ofMinutes(61))))
        .as("m3 computes it now").extracting(ResultIndexTest::kindOf).containsExactly("AwaitResult->m4");
  }

  @Test
  void anAbandonedClaimPassesToTheFirstWaiter() {
    send("m1", new LookupResult(HOUR), T0);
    send("m2", new LookupResult(HOUR), T0);
    send("m3", new LookupResult(HOUR), T0);

    assertThat(send("m1", new ResultAbandoned(), T0)).extracting(ResultIndexTest::kindOf).containsExactly("RunStage->m2");
    assertThat(entry.getClaim().getMissionId()).isEqualTo("m2");
    assertThat(entry.getWaiters()).extracting(w -> w.getMissionId()).containsExactly("m3");
  }

  @Test
  void anAbandonedWaiterLeavesAndAnEmptyEntryIsDropped() {
    send("m1", new LookupResult(HOUR), T0);
    send("m2", new LookupResult(HOUR), T0);

    assertThat(send("m2", new ResultAbandoned(), T0)).isEmpty();
    assertThat(send("m1", new ResultAbandoned(), T0)).isEmpty();
    assertThat(entry).isNull();
  }

  @Test
  void theClaimerAskingAgainRunsAgainAndAWaiterAskingAgainIsListedOnce() {
    send("m1", new LookupResult(HOUR), T0);
    send("m2", new LookupResult(HOUR), T0);

    assertThat(send("m1", new LookupResult(HOUR), T0)).extracting(ResultIndexTest::kindOf).containsExactly("RunStage->m1");
    send("m2", new LookupResult(HOUR), T0);
    assertThat(entry.getWaiters()).hasSize(1);
  }

  @Test
  void aResultFromAStageThatDidNotClaimStillBecomesTheNewestButAnOlderOneDoesNot() {
    send("m1", new ResultProduced(T0.plusSeconds(10), Map.of("v", "1")), T0.plusSeconds(10));
    send("m2", new ResultProduced(T0.plusSeconds(5), Map.of("v", "0")), T0.plusSeconds(11));

    assertThat(entry.getLatest().getMissionId()).isEqualTo("m1");
    assertThat(entry.getClaim()).isNull();
  }

  @Test
  void aStageThatProducesWhileListedAsAWaiterWaitsNoMore() {
    send("m2", new LookupResult(HOUR), T0);
    send("m1", new LookupResult(HOUR), T0); // m1 waits, yet runs on an answer to an earlier lookup

    assertThat(send("m1", new ResultProduced(T0, Map.of()), T0)).isEmpty();
    assertThat(entry.getWaiters()).isEmpty();
    assertThat(send("m2", new ResultAbandoned(), T0)).as("no claim passes to m1, which has its result").isEmpty();
    assertThat(entry.getClaim()).isNull();
  }

  private static Object askOf(ResultAnswer answer) {
    return kindOf(answer) + "#" + answer.getAsk();
  }

  @Test
  void aLookupOlderThanOneTheEntryHoldsForItsStageIsDropped() {
    send("m1", 5, new LookupResult(HOUR), T0);
    send("m2", 7, new LookupResult(HOUR), T0);
    ResultEntry before = entry;

    assertThat(send("m1", 2, new LookupResult(HOUR), T0)).as("read again after the claim's lookup").isEmpty();
    assertThat(send("m2", 3, new LookupResult(HOUR), T0)).as("read again after the wait's lookup").isEmpty();
    assertThat(entry).isEqualTo(before);
  }

  @Test
  void anEndOfAnOlderLookupLeavesTheNewerClaimOrWaitInPlace() {
    send("m1", 5, new LookupResult(HOUR), T0);
    send("m2", 7, new LookupResult(HOUR), T0);

    assertThat(send("m2", 3, new ResultAbandoned(), T0)).isEmpty();
    assertThat(send("m1", 4, new ResultAbandoned(), T0)).isEmpty();
    assertThat(send("m1", 4, new ResultProduced(T0, Map.of("v", "old")), T0)).isEmpty();
    assertThat(entry.getClaim()).isEqualTo(new StageRef("m1", "extract", 5L));
    assertThat(entry.getWaiters()).containsExactly(new StageRef("m2", "extract", 7L));
    assertThat(entry.getLatest().getMissionId()).as("a result is a result").isEqualTo("m1");
    assertThat(send("m1", 5, new ResultAbandoned(), T0)).extracting(ResultIndexTest::askOf)
        .containsExactly("RunStage->m2#7");
  }

  @Test
  void askZeroFromBeforeLookupsWereNumberedMatchesEitherWay() {
    send("m1", 5, new LookupResult(HOUR), T0);
    send("m2", 0, new LookupResult(HOUR), T0);
    assertThat(send("m1", 0, new ResultAbandoned(), T0)).as("an unnumbered end ends a numbered claim")
        .extracting(ResultIndexTest::askOf).containsExactly("RunStage->m2#0");

    assertThat(send("m2", 3, new ResultAbandoned(), T0)).as("a numbered end ends an unnumbered claim").isEmpty();
    assertThat(entry).isNull();
    send("m3", 0, new LookupResult(HOUR), T0);
    assertThat(send("m3", 0, new LookupResult(HOUR), T0)).as("an unnumbered lookup is never taken for stale")
        .extracting(ResultIndexTest::askOf).containsExactly("RunStage->m3#0");
  }

  @Test
  void everyAnswerNamesTheLookupOfTheStageItAnswers() {
    assertThat(send("m1", 5, new LookupResult(HOUR), T0)).extracting(ResultIndexTest::askOf)
        .containsExactly("RunStage->m1#5");
    assertThat(send("m2", 7, new LookupResult(HOUR), T0)).extracting(ResultIndexTest::askOf)
        .containsExactly("AwaitResult->m2#7");
    send("m3", 9, new LookupResult(HOUR), T0);
    send("m4", 4, new LookupResult(HOUR), T0);

    assertThat(send("m1", 5, new ResultAbandoned(), T0)).as("the claim passes on under the waiter's own lookup")
        .extracting(ResultIndexTest::askOf).containsExactly("RunStage->m2#7");
    assertThat(send("m2", 7, new ResultProduced(T0, Map.of()), T0)).extracting(ResultIndexTest::askOf)
        .containsExactly("ReuseResult->m3#9", "ReuseResult->m4#4");
    assertThat(send("m5", 2, new LookupResult(HOUR), T0)).extracting(ResultIndexTest::askOf)
        .containsExactly("ReuseResult->m5#2");
  }

  @Test
  void aStageAskingAnewReplacesItsOlderWait() {
    send("m1", 5, new LookupResult(HOUR), T0);
    send("m2", 3, new LookupResult(HOUR), T0);

    assertThat(send("m2", 8, new LookupResult(HOUR), T0)).extracting(ResultIndexTest::askOf)
        .containsExactly("AwaitResult->m2#8");
    assertThat(entry.getWaiters()).containsExactly(new StageRef("m2", "extract", 8L));
    assertThat(send("m1", 9, new LookupResult(HOUR), T0)).as("the claimant asking anew keeps the claim under its new lookup")
        .extracting(ResultIndexTest::askOf).containsExactly("RunStage->m1#9");
    assertThat(entry.getClaim()).isEqualTo(new StageRef("m1", "extract", 9L));
  }

  @Test
  void storedEntriesAreNotChangedInPlace() {
    send("m1", new LookupResult(HOUR), T0);
    ResultEntry before = entry;
    ResultIndex.decide(before, new ResultRequest("k", "m2", "extract", new LookupResult(HOUR), 0L), T0);

    assertThat(before.getWaiters()).isEmpty();
  }
}
