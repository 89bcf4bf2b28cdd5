package io.groundcontrol.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CommitReadinessTest {
  private static final long AWAIT = 10;
  private static final long ADMISSION_QUIET = 2;
  private final CommitReadiness readiness = new CommitReadiness(AWAIT, ADMISSION_QUIET);

  @Test
  void aTransactionWithoutOutputIsNeverReady() {
    assertThat(readiness.ready(0)).isFalse();
    readiness.answered("m-1", "a", 1);
    readiness.committed(0);
    assertThat(readiness.ready(AWAIT * 2)).isFalse();
  }

  @Test
  void withOneMissionInFlightEveryReportCommits() {
    readiness.instructed("m-1", "a", 1);
    assertThat(readiness.ready(0)).isTrue();
    readiness.committed(0);

    readiness.answered("m-1", "a", 1);
    readiness.instructed("m-1", "b", 1);
    assertThat(readiness.ready(3)).isTrue();
  }

  @Test
  void aBatchWaitsForTheLastReportOnTheTransactionThatReleasedIt() {
    readiness.recordBegins(0);
    readiness.instructed("m-1", "a", 1);
    readiness.instructed("m-2", "a", 1);
    readiness.instructed("m-3", "a", 1);
    readiness.committed(0);

    readiness.recordBegins(4);
    readiness.answered("m-1", "a", 1);
    readiness.instructed("m-1", "b", 1);
    assertThat(readiness.ready(4)).isFalse();
    readiness.recordBegins(5);
    readiness.answered("m-3", "a", 1);
    readiness.instructed("m-3", "b", 1);
    assertThat(readiness.awaited()).isEqualTo(1);
    assertThat(readiness.ready(5)).isFalse();
    readiness.recordBegins(6);
    readiness.answered("m-2", "a", 1);
    readiness.instructed("m-2", "b", 1);
    assertThat(readiness.ready(6)).isTrue();
  }

  @Test
  void aReportOnAnotherAttemptOrAnotherStageIsNotTheOneAwaited() {
    readiness.recordBegins(0);
    readiness.instructed("m-1", "a", 2);
    readiness.committed(0);

    readiness.recordBegins(1);
    readiness.answered("m-1", "a", 1);
    readiness.answered("m-1", "b", 2);
    readiness.answered("m-2", "a", 2);
    readiness.outputWritten();
    assertThat(readiness.ready(2)).isFalse();
    readiness.recordBegins(3);
    readiness.answered("m-1", "a", 2);
    assertThat(readiness.ready(3)).isTrue();
  }

  @Test
  void reportsAreAwaitedOnlyForTheAwaitTimeAfterTheirCommit() {
    readiness.recordBegins(0);
    readiness.instructed("m-1", "a", 1);
    readiness.committed(0);

    readiness.recordBegins(AWAIT - 1);
    readiness.answered("m-2", "a", 1);
    readiness.instructed("m-2", "b", 1);
    assertThat(readiness.ready(AWAIT - 1)).as("m-1's report may be next").isFalse();
    readiness.recordBegins(AWAIT);
    readiness.answered("m-3", "a", 1);
    readiness.instructed("m-3", "b", 1);
    assertThat(readiness.ready(AWAIT)).as("m-1 is doing work: not waited for any longer").isTrue();
  }

  @Test
  void aCommitNoticedLateCountsFromTheRecordBeforeIt() {
    readiness.recordBegins(0);
    readiness.instructed("m-1", "a", 1);
    // The thread was idle after the commit; it is noticed only at the next record.
    readiness.committed(AWAIT * 3);
    readiness.recordBegins(AWAIT * 3);
    readiness.answered("m-2", "a", 1);
    readiness.instructed("m-2", "b", 1);
    assertThat(readiness.ready(AWAIT * 3)).isTrue();
  }

  @Test
  void aBusyThreadCountsTheWaitFromWhenItNoticedTheCommit() {
    readiness.recordBegins(0);
    readiness.instructed("m-1", "a", 1);
    readiness.recordBegins(1);
    readiness.instructed("m-2", "a", 1);
    // Committing took 2 ms, right after the record at 1.
    readiness.committed(3);
    readiness.recordBegins(3);
    readiness.answered("m-2", "a", 1);
    readiness.instructed("m-2", "b", 1);
    assertThat(readiness.ready(3 + AWAIT - 1)).isFalse();
    assertThat(readiness.ready(3 + AWAIT)).isTrue();
  }

  @Test
  void timersAfterTheAwaitTimeCommitWhatWasHeldBack() {
    readiness.recordBegins(0);
    readiness.instructed("m-1", "a", 1);
    readiness.committed(0);
    readiness.recordBegins(2);
    readiness.instructed("m-2", "b", 1);
    assertThat(readiness.ready(2)).isFalse();

    readiness.timersBegin();
    assertThat(readiness.ready(AWAIT - 1)).isFalse();
    assertThat(readiness.ready(AWAIT)).isTrue();
  }

  @Test
  void whenStagesTakeSecondsEachReportCommitsAtOnce() {
    long now = 0;
    for (int mission = 1; mission <= 5; mission++) {
      readiness.recordBegins(now);
      readiness.answered("m-" + mission, "a", 1);
      readiness.instructed("m-" + mission, "b", 1);
      assertThat(readiness.ready(now)).as("report %d, %d ms after the one before", mission, 60).isTrue();
      readiness.committed(now);
      now += 60;
    }
  }

  @Test
  void onlyTheLastCommittedTransactionIsAwaited() {
    readiness.recordBegins(0);
    readiness.instructed("m-1", "a", 1);
    readiness.instructed("m-2", "a", 1);
    readiness.committed(0);
    readiness.recordBegins(2);
    readiness.answered("m-2", "a", 1);
    readiness.instructed("m-2", "b", 1);
    assertThat(readiness.ready(2)).as("m-1's report is still awaited").isFalse();

    readiness.committed(2);
    readiness.recordBegins(6);
    readiness.answered("m-2", "b", 1);
    readiness.instructed("m-2", "c", 1);
    assertThat(readiness.ready(6)).isTrue();
  }

  @Test
  void aCommittedTransactionWithoutInstructionsLeavesNothingAwaited() {
    readiness.instructed("m-1", "a", 1);
    readiness.committed(0);
    readiness.answered("m-1", "a", 1);
    readiness.outputWritten();
    readiness.committed(0);

    readiness.outputWritten();
    assertThat(readiness.ready(4)).isTrue();
  }

  @Test
  void aCommitOfNoOutputKeepsWaitingForTheTransactionBefore() {
    readiness.recordBegins(0);
    readiness.instructed("m-1", "a", 1);
    readiness.committed(0);
    readiness.recordBegins(1);
    readiness.committed(1);

    readiness.recordBegins(2);
    readiness.outputWritten();
    assertThat(readiness.awaited()).isEqualTo(1);
    assertThat(readiness.ready(3)).isFalse();
  }

  @Test
  void aTransactionOnThePathOfAsksAfterACommitThatReleasedNothingIsReadyOnlyAfterTheQuietTime() {
    readiness.recordBegins(0);
    readiness.outputWritten();
    readiness.committed(0);

    readiness.recordBegins(1);
    readiness.onAskPath();
    assertThat(readiness.ready(1)).as("nothing is awaited, but records keep coming").isFalse();
    readiness.recordBegins(1 + ADMISSION_QUIET);
    readiness.outputWritten();
    assertThat(readiness.ready(1 + ADMISSION_QUIET)).isTrue();

    readiness.committed(1 + ADMISSION_QUIET);
    readiness.recordBegins(2 + ADMISSION_QUIET);
    readiness.outputWritten();
    assertThat(readiness.ready(2 + ADMISSION_QUIET)).as("the next transaction holds none").isTrue();
  }

  @Test
  void aTransactionOnThePathOfAsksIsReadyOnceTheReportsOnTheLastCommitAreIn() {
    readiness.recordBegins(0);
    readiness.instructed("m-1", "a", 1);
    readiness.committed(0);

    readiness.recordBegins(1);
    readiness.onAskPath();
    assertThat(readiness.ready(1)).isFalse();
    readiness.recordBegins(1);
    readiness.answered("m-1", "a", 1);
    readiness.asked(slotAsk("m-1", "b"));
    assertThat(readiness.ready(1)).isTrue();
  }

  @Test
  void theCappedPathUnderSteadyInputCommitsAfterTheAwaitTime() {
    readiness.recordBegins(0);
    readiness.instructed("m-1", "a", 1);
    readiness.committed(0);

    for (long now = 1; now < AWAIT; now++) {
      readiness.recordBegins(now);
      readiness.onAskPath();
      assertThat(readiness.ready(now)).as("a record every millisecond, %d ms after the commit", now).isFalse();
    }
    readiness.recordBegins(AWAIT);
    readiness.onAskPath();
    assertThat(readiness.ready(AWAIT)).isTrue();
  }

  @Test
  void aTransactionReadingAsksIsReadyOnceItReadEveryAskTheLastCommitWrote() {
    readiness.recordBegins(0);
    readiness.asked(slotAsk("m-1", "a"));
    readiness.asked(slotAsk("m-2", "a"));
    assertThat(readiness.ready(0)).as("nothing was awaited").isTrue();
    readiness.committed(0);

    readiness.recordBegins(1);
    readiness.askRead(slotAsk("m-1", "a"));
    readiness.onAskPath();
    assertThat(readiness.ready(1)).as("m-2's ask is not read yet").isFalse();
    readiness.recordBegins(1);
    readiness.askRead(slotAsk("m-2", "a"));
    readiness.onAskPath();
    assertThat(readiness.ready(1)).isTrue();
  }

  @Test
  void anAskAndTheReportsOfTheSameCommitAreAwaitedAlike() {
    readiness.recordBegins(0);
    readiness.asked(slotAsk("m-1", "a"));
    readiness.instructed("m-2", "a", 1);
    readiness.committed(0);

    readiness.recordBegins(1);
    readiness.askRead(slotAsk("m-1", "a"));
    readiness.onAskPath();
    assertThat(readiness.ready(1)).as("m-2's report is not in").isFalse();
    readiness.recordBegins(1);
    readiness.answered("m-2", "a", 1);
    assertThat(readiness.ready(1)).isTrue();
  }

  @Test
  void anAskReadOnAnotherThreadLeavesTheQuietAndAwaitTimes() {
    readiness.recordBegins(0);
    readiness.asked(slotAsk("m-1", "a"));
    readiness.committed(0);

    readiness.recordBegins(1);
    readiness.answered("m-9", "a", 1);
    readiness.onAskPath();
    assertThat(readiness.ready(1)).isFalse();
    assertThat(readiness.ready(AWAIT)).isTrue();
  }

  @Test
  void answersToAsksOfAnEarlierCommitWaitAsAnyOnThePathOfAsks() {
    readiness.recordBegins(0);
    readiness.asked(slotAsk("m-1", "a"));
    readiness.committed(0);
    readiness.recordBegins(1);
    readiness.askRead(slotAsk("m-1", "a"));
    readiness.onAskPath();
    readiness.committed(1);

    // The grant that answer wrote is read back: the commit before asked nothing, so no ask lets it go.
    readiness.recordBegins(2);
    readiness.onAskPath();
    assertThat(readiness.ready(2)).isFalse();
    assertThat(readiness.ready(1 + AWAIT)).isTrue();
  }

  @Test
  void attemptsAndAsksOfIdsThatDifferInTheirLastDigitsSpreadOverTheSetsBins() {
    // A benchmark's mission ids and stage names differ in their last digits, and a record's own hash
    // adds one field to 31 times the other: "m-10001" at "s01000" hashes as "m-10000" at "s01010".
    List<Object> attempts = new ArrayList<>();
    List<Object> asks = new ArrayList<>();
    List<Integer> byThirtyOne = new ArrayList<>();
    for (int mission = 10_000; mission < 10_100; mission++) {
      for (int stage = 1_000; stage < 1_100; stage++) {
        String missionId = "bench-86c543-plan-10k-" + mission;
        attempts.add(new CommitReadiness.Attempt(missionId, "s0" + stage, 1));
        asks.add(slotAsk(missionId, "s0" + stage));
        byThirtyOne.add(java.util.Objects.hash(missionId, "s0" + stage, 1));
      }
    }

    assertThat(fullestBin(byThirtyOne)).as("what a record's own hash does with these").isGreaterThan(8);
    assertThat(fullestBin(attempts.stream().map(Object::hashCode).toList()))
        .as("below the 8 that turn a bin into a tree").isLessThan(8);
    assertThat(fullestBin(asks.stream().map(Object::hashCode).toList())).isLessThan(8);
  }

  /** The most hashes in one bin of a hash set holding them all, as {@link java.util.HashMap} spreads them. */
  private static int fullestBin(List<Integer> hashes) {
    int bins = Integer.highestOneBit(hashes.size() * 4 / 3) * 2;
    Map<Integer, Integer> perBin = new HashMap<>();
    hashes.forEach(h -> perBin.merge((h ^ (h >>> 16)) & (bins - 1), 1, Integer::sum));
    return perBin.values().stream().max(Integer::compare).orElse(0);
  }

  private static Ask slotAsk(String missionId, String stage) {
    return new Ask(io.groundcontrol.schema.AdmissionRequest.class, "capped", missionId, stage, 1);
  }
}
