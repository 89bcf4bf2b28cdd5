package io.groundcontrol.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CommitReadinessTest {
  private static final long WINDOW = 10;
  private final CommitReadiness readiness = new CommitReadiness(WINDOW);

  @Test
  void aTransactionWithoutOutputIsNeverReady() {
    assertThat(readiness.ready(0)).isFalse();
    readiness.answered("m-1", "a", 1);
    readiness.committed();
    assertThat(readiness.ready(WINDOW * 2)).isFalse();
  }

  @Test
  void withOneMissionInFlightEveryReportCommits() {
    readiness.instructed("m-1", "a", 1, 0);
    assertThat(readiness.ready(0)).isTrue();
    readiness.committed();

    readiness.answered("m-1", "a", 1);
    readiness.instructed("m-1", "b", 1, 3);
    assertThat(readiness.ready(3)).isTrue();
  }

  @Test
  void aBatchWaitsForTheLastReportOnTheTransactionThatReleasedIt() {
    readiness.instructed("m-1", "a", 1, 0);
    readiness.instructed("m-2", "a", 1, 0);
    readiness.instructed("m-3", "a", 1, 1);
    readiness.committed();

    readiness.answered("m-1", "a", 1);
    readiness.instructed("m-1", "b", 1, 4);
    assertThat(readiness.ready(4)).isFalse();
    readiness.answered("m-3", "a", 1);
    readiness.instructed("m-3", "b", 1, 5);
    assertThat(readiness.awaited()).isEqualTo(1);
    assertThat(readiness.ready(5)).isFalse();
    readiness.answered("m-2", "a", 1);
    readiness.instructed("m-2", "b", 1, 6);
    assertThat(readiness.ready(6)).isTrue();
  }

  @Test
  void aReportOnAnotherAttemptOrAnotherStageIsNotTheOneAwaited() {
    readiness.instructed("m-1", "a", 2, 0);
    readiness.committed();

    readiness.answered("m-1", "a", 1);
    readiness.answered("m-1", "b", 2);
    readiness.answered("m-2", "a", 2);
    readiness.outputWritten();
    assertThat(readiness.ready(2)).isFalse();
    readiness.answered("m-1", "a", 2);
    assertThat(readiness.ready(3)).isTrue();
  }

  @Test
  void reportsAreAwaitedOnlyWithinTheReplyWindowOfTheLastRelease() {
    readiness.instructed("m-1", "a", 1, 0);
    readiness.instructed("m-2", "a", 1, 3);
    readiness.committed();

    readiness.outputWritten();
    assertThat(readiness.ready(3 + WINDOW - 1)).isFalse();
    assertThat(readiness.ready(3 + WINDOW)).isTrue();
  }

  @Test
  void whenStagesTakeLongerThanTheWindowEachReportCommitsAtOnce() {
    readiness.instructed("m-1", "a", 1, 0);
    readiness.committed();

    readiness.answered("m-2", "a", 1);
    readiness.instructed("m-2", "b", 1, 40);
    assertThat(readiness.ready(40)).as("m-1's stage is still running, released 40 ms ago").isTrue();
    readiness.committed();

    readiness.answered("m-3", "a", 1);
    readiness.instructed("m-3", "b", 1, 45);
    assertThat(readiness.ready(45)).as("m-2's next stage, released 5 ms ago, may report any moment").isFalse();
  }

  @Test
  void onlyTheLastCommittedTransactionIsAwaited() {
    readiness.instructed("m-1", "a", 1, 0);
    readiness.instructed("m-2", "a", 1, 0);
    readiness.committed();
    readiness.answered("m-2", "a", 1);
    readiness.instructed("m-2", "b", 1, 2);
    assertThat(readiness.ready(2)).as("m-1's report is still awaited").isFalse();

    readiness.committed();
    readiness.answered("m-2", "b", 1);
    readiness.instructed("m-2", "c", 1, 6);
    assertThat(readiness.ready(6)).isTrue();
  }

  @Test
  void aCommittedTransactionWithoutInstructionsLeavesNothingAwaited() {
    readiness.instructed("m-1", "a", 1, 0);
    readiness.committed();
    readiness.answered("m-1", "a", 1);
    readiness.outputWritten();
    readiness.committed();

    readiness.outputWritten();
    assertThat(readiness.ready(4)).isTrue();
  }

  @Test
  void aCommitOfNoOutputKeepsWaitingForTheTransactionBefore() {
    readiness.instructed("m-1", "a", 1, 0);
    readiness.committed();
    readiness.committed();

    readiness.outputWritten();
    assertThat(readiness.awaited()).isEqualTo(1);
    assertThat(readiness.ready(3)).isFalse();
  }
}
