package io.groundcontrol.coordinator;

import static io.groundcontrol.coordinator.RecreationWaits.Decision.CREATE;
import static io.groundcontrol.coordinator.RecreationWaits.Decision.CREATE_WAITED_OUT;
import static io.groundcontrol.coordinator.RecreationWaits.Decision.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecreationWaitsTest {
  private static final long SECOND = 1_000_000_000L;
  private final RecreationWaits waits = new RecreationWaits(Duration.ofSeconds(20));

  @Test
  void aTopicNoWorkerHoldsIsCreatedAtOnce() {
    assertThat(waits.decide("t", false, 0)).isEqualTo(CREATE);
    assertThat(waits.waiting("t")).isFalse();
  }

  @Test
  void aHeldTopicWaitsUntilItsWorkersLetGo() {
    assertThat(waits.decide("t", true, 5 * SECOND)).isEqualTo(WAIT);
    assertThat(waits.waiting("t")).isTrue();
    assertThat(waits.decide("t", true, 24 * SECOND)).isEqualTo(WAIT);
    assertThat(waits.decide("t", false, 25 * SECOND)).isEqualTo(CREATE);
    assertThat(waits.waiting("t")).isFalse();
  }

  @Test
  void aHeldTopicWaitsAtMostTheLongestWaitFromWhenItWasFirstFoundHeld() {
    assertThat(waits.decide("t", true, 5 * SECOND)).isEqualTo(WAIT);
    assertThat(waits.decide("u", true, 20 * SECOND)).isEqualTo(WAIT);
    assertThat(waits.decide("t", true, 25 * SECOND)).isEqualTo(CREATE_WAITED_OUT);
    assertThat(waits.decide("u", true, 25 * SECOND)).isEqualTo(WAIT);
    assertThat(waits.waiting("t")).isFalse();
  }

  @Test
  void aTopicNoLongerMissingForgetsItsWait() {
    waits.decide("t", true, 0);
    waits.decide("u", true, 0);

    waits.retainOnly(List.of("u"));

    assertThat(waits.waiting("t")).isFalse();
    assertThat(waits.waiting("u")).isTrue();
    assertThat(waits.decide("t", true, 21 * SECOND)).isEqualTo(WAIT);
  }
}
