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
  void aCoordinatorThatNeverRanSaysNothing() {
    assertThat(StateRebuild.firstIn("12:00:27.310 INFO RecoveryLog - Rebuilding local state from the changelogs\n"))
        .isEmpty();
  }
}
