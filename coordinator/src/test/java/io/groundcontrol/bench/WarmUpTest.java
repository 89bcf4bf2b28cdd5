package io.groundcontrol.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class WarmUpTest {
  @Test
  void aRateStillRisingIsNotSteady() {
    assertThat(WarmUp.steady(List.of(700.0, 1200.0, 1900.0))).isFalse();
    assertThat(WarmUp.steady(List.of(700.0, 1200.0, 1210.0, 1900.0))).isFalse();
  }

  @Test
  void threeWindowsInARowWithoutAGainAreSteady() {
    assertThat(WarmUp.steady(List.of(700.0, 1900.0, 1950.0, 1880.0, 1990.0))).isTrue();
    assertThat(WarmUp.steady(List.of(2000.0, 1900.0, 2050.0, 2000.0))).isTrue();
  }

  @Test
  void twoWindowsWithoutAGainAreNotEnough() {
    assertThat(WarmUp.steady(List.of(700.0, 1900.0, 1950.0, 1880.0))).isFalse();
  }

  @Test
  void tooFewWindowsAreNeverSteady() {
    assertThat(WarmUp.steady(List.of(2000.0, 2000.0, 2000.0))).isFalse();
  }

  @Test
  void aDipAfterThePeakCountsAsSteady() {
    assertThat(WarmUp.steady(List.of(500.0, 2000.0, 1200.0, 1500.0, 1900.0))).isTrue();
  }
}
