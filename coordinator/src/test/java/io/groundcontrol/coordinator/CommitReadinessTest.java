package io.groundcontrol.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CommitReadinessTest {
  private static final long WINDOW = 10;
  private static final long ADMISSION_QUIET = 2;
  private final CommitReadiness readiness = new CommitReadiness(WINDOW, ADMISSION_QUIET);

  @Test
  void aTransactionWithoutOutputIsNeverReady() {
    assertThat(readiness.ready(0)).isFalse();
    readiness.answered("m-1", "a", 1);
    readiness.committed();
    assertThat(readiness.ready(WINDOW * 2)).isFalse();
  }

  @Test
  void withOneMissionInFlightEveryReportCommits() {
    readiness.instructed("m-1", "a", 1);
    assertThat(readiness.ready(0)).isTrue();
    readiness.committed();

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
    readiness.committed();

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
    readiness.committed();

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
  void aRecordAfterAQuietSpellCommitsThoughReportsAreAwaited() {
    readiness.recordBegins(0);
    readiness.instructed("m-1", "a", 1);
    readiness.committed();

    readiness.recordBegins(WINDOW - 1);
    readiness.answered("m-2", "a", 1);
    readiness.instructed("m-2", "b", 1);
    assertThat(readiness.ready(WINDOW - 1)).as("input keeps coming: m-1's report may be next").isFalse();
    readiness.recordBegins(2 * WINDOW - 1);
    readiness.answered("m-3", "a", 1);
    readiness.instructed("m-3", "b", 1);
    assertThat(readiness.ready(2 * WINDOW - 1)).as("quiet for the window before this record").isTrue();
  }

  @Test
  void timersAfterAQuietSpellCommitWhatWasHeldBack() {
    readiness.recordBegins(0);
    readiness.instructed("m-1", "a", 1);
    readiness.committed();
    readiness.recordBegins(2);
    readiness.instructed("m-2", "b", 1);
    assertThat(readiness.ready(2)).isFalse();

    readiness.timersBegin();
    assertThat(readiness.ready(2 + WINDOW - 1)).isFalse();
    assertThat(readiness.ready(2 + WINDOW)).isTrue();
  }

  @Test
  void whenStagesTakeSecondsEachReportCommitsAtOnce() {
    long now = 0;
    for (int mission = 1; mission <= 5; mission++) {
      readiness.recordBegins(now);
      readiness.answered("m-" + mission, "a", 1);
      readiness.instructed("m-" + mission, "b", 1);
      assertThat(readiness.ready(now)).as("report %d, %d ms after the one before", mission, 60).isTrue();
      readiness.committed();
      now += 60;
    }
  }

  @Test
  void onlyTheLastCommittedTransactionIsAwaited() {
    readiness.recordBegins(0);
    readiness.instructed("m-1", "a", 1);
    readiness.instructed("m-2", "a", 1);
    readiness.committed();
    readiness.recordBegins(2);
    readiness.answered("m-2", "a", 1);
    readiness.instructed("m-2", "b", 1);
    assertThat(readiness.ready(2)).as("m-1's report is still awaited").isFalse();

    readiness.committed();
    readiness.recordBegins(6);
    readiness.answered("m-2", "b", 1);
    readiness.instructed("m-2", "c", 1);
    assertThat(readiness.ready(6)).isTrue();
  }

  @Test
  void aCommittedTransactionWithoutInstructionsLeavesNothingAwaited() {
    readiness.instructed("m-1", "a", 1);
    readiness.committed();
    readiness.answered("m-1", "a", 1);
    readiness.outputWritten();
    readiness.committed();

    readiness.outputWritten();
    assertThat(readiness.ready(4)).isTrue();
  }

  @Test
  void aCommitOfNoOutputKeepsWaitingForTheTransactionBefore() {
    readiness.recordBegins(0);
    readiness.instructed("m-1", "a", 1);
    readiness.committed();
    readiness.recordBegins(1);
    readiness.committed();

    readiness.recordBegins(2);
    readiness.outputWritten();
    assertThat(readiness.awaited()).isEqualTo(1);
    assertThat(readiness.ready(3)).isFalse();
  }

  @Test
  void aTransactionOnTheCappedPathIsReadyOnlyAfterTheAdmissionsQuietTime() {
    readiness.recordBegins(0);
    readiness.instructed("m-1", "a", 1);
    readiness.committed();

    readiness.recordBegins(1);
    readiness.answered("m-1", "a", 1);
    readiness.onAdmissionPath();
    assertThat(readiness.ready(1)).as("every report is in, but records keep coming").isFalse();
    readiness.recordBegins(1 + ADMISSION_QUIET);
    readiness.outputWritten();
    assertThat(readiness.ready(1 + ADMISSION_QUIET)).isTrue();

    readiness.committed();
    readiness.recordBegins(2 + ADMISSION_QUIET);
    readiness.outputWritten();
    assertThat(readiness.ready(2 + ADMISSION_QUIET)).as("the next transaction holds none").isTrue();
  }
}
