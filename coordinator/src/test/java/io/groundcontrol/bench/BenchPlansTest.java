package io.groundcontrol.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which benchmark plans the hand-off trace can follow: one stage in flight per mission. */
class BenchPlansTest {
  @Test
  void onlyAChainIsLinear() {
    assertThat(BenchPlans.isLinear(BenchPlans.linear("l", 3, "noop"))).isTrue();
    assertThat(BenchPlans.isLinear(BenchPlans.linear("one", 1, "noop"))).isTrue();
    assertThat(BenchPlans.isLinear(BenchPlans.wide("w", 2, "noop"))).isFalse();
    assertThat(BenchPlans.isLinear(BenchPlans.fanOut("f", 4, "noop"))).isFalse();
  }
}
