package io.groundcontrol.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class StateRebuildTest {
  @Test
  void readsTheRecordsAndTimeOfTheFirstRebuild() {
    String output = """
        12:00:27.310 INFO RecoveryLog - Rebuilding local state from the changelogs: expected on a new state dir
        12:00:29.759 INFO Coordinator - Running; local state rebuilt from 2048 changelog records in 2448 ms
        12:01:29.759 INFO Coordinator - Running; local state rebuilt from 7 changelog records in 12 ms
        """;

    assertThat(StateRebuild.firstIn(output)).contains(new StateRebuild(2048, Duration.ofMillis(2448)));
  }

  @Test
  void aCoordinatorThatRanWithoutRestoringRebuiltNothing() {
    assertThat(StateRebuild.firstIn("12:00:29.759 INFO Coordinator - Running\n"))
        .contains(new StateRebuild(0, Duration.ZERO));
  }

  @Test
  void storesOpenedWithNothingToRebuildRebuiltNothingInTheirTime() {
    assertThat(StateRebuild.firstIn("12:00:29.759 INFO Coordinator - Running; nothing to rebuild from the changelogs "
        + "(stores opened and checked in 13241 ms)\n")).contains(new StateRebuild(0, Duration.ofMillis(13241)));
  }

  @Test
  void aCoordinatorThatNeverRanSaysNothing() {
    assertThat(StateRebuild.firstIn("12:00:27.310 INFO RecoveryLog - Rebuilding local state from the changelogs\n"))
        .isEmpty();
  }

  @Test
  void aSurvivorsRebuildsAfterTheFaultAddUpOverTheLongestOne() {
    String output = """
        12:01:00.001 INFO Coordinator - Rebalancing: missions move between coordinator instances
        12:01:10.759 INFO Coordinator - Running
        12:01:12.100 INFO Coordinator - Running; local state rebuilt from 300 changelog records in 1200 ms
        12:01:19.000 INFO Coordinator - Running; local state rebuilt from 40 changelog records in 90 ms
        """;

    assertThat(StateRebuild.sum(StateRebuild.allIn(output))).isEqualTo(new StateRebuild(340, Duration.ofMillis(1200)));
  }

  @Test
  void noRunAfterTheFaultSumsToNothing() {
    assertThat(StateRebuild.sum(StateRebuild.allIn(""))).isEqualTo(new StateRebuild(0, Duration.ZERO));
  }
}
