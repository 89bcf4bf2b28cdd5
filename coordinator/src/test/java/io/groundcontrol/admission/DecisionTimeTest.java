package io.groundcontrol.admission;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DecisionTimeTest {
  private static final long NOW = 10_000;

  @Test
  void anInputInTimeOrderStampsItsDecisionWithItsOwnTime() {
    assertThat(DecisionTime.of(9_000, 9_000, NOW)).isEqualTo(9_000);
  }

  @Test
  void anInputOlderThanOneAlreadyReadIsDecidedAtTheLatestTimeRead() {
    assertThat(DecisionTime.of(4_000, 9_000, NOW)).isEqualTo(9_000);
  }

  @Test
  void aTimeReadAheadOfTheClockCountsOnlyUpToThePresent() {
    assertThat(DecisionTime.of(4_000, 70_000, NOW)).isEqualTo(NOW);
  }

  @Test
  void anInputAheadOfTheClockKeepsItsOwnTime() {
    assertThat(DecisionTime.of(70_000, 70_000, NOW)).isEqualTo(70_000);
  }
}
