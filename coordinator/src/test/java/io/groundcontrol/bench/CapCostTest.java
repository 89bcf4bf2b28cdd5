package io.groundcontrol.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CapCostTest {
  @Test
  void theFirstRoundKeepsThePlainRowNames() {
    assertThat(CapCost.uncapped(64, 1)).isEqualTo("capcost-n64-uncapped");
    assertThat(CapCost.capped(64, 1)).isEqualTo("capcost-n64-capped");
    assertThat(CapCost.capped(64, 3)).isEqualTo("capcost-n64-capped-r3");
  }

  @Test
  void theMedianIsTheMiddleRatio() {
    assertThat(Rounds.median(List.of(2.67, 1.20, 1.54))).isEqualTo(1.54);
    assertThat(Rounds.median(List.of(3.0, 1.0))).isEqualTo(2.0);
    assertThat(Rounds.median(List.of(1.9))).isEqualTo(1.9);
  }

  @Test
  void planSizeRowsAreNamedByRoundAlike() {
    assertThat(PlanSizes.row(10_000, 1)).isEqualTo("plan-10k");
    assertThat(PlanSizes.row(10, 3)).isEqualTo("plan-10-r3");
  }
}
