package io.groundcontrol.mission;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ReuseTextTest {
  private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

  @Test
  void saysWhoseResultAndHowOld() {
    assertThat(ReuseText.describe("m-20261122-1", "extract", T0, T0.plus(Duration.ofMinutes(12)).plusSeconds(30)))
        .isEqualTo("reused from mission m-20261122-1, stage extract, 12 min old");
  }

  @Test
  void agesReadNaturally() {
    assertThat(ReuseText.age(Duration.ofSeconds(42))).isEqualTo("42 s");
    assertThat(ReuseText.age(Duration.ofMinutes(135))).isEqualTo("2 h 15 min");
    assertThat(ReuseText.age(Duration.ofSeconds(-1))).isEqualTo("0 s");
  }
}
