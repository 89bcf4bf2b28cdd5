package io.groundcontrol.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.mission.TimerFired;
import java.time.Duration;
import java.time.Instant;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * How often the timers of forgotten missions are looked for: every timer not yet due is read, and
 * its mission looked up, once per pass; with retention, missions are forgotten all the time.
 */
class TimerSweepTest {
  private static final Instant START = Instant.parse("2026-12-01T00:00:00Z");
  private static final Instant STARTED = Instant.parse("2026-11-30T00:00:00Z");

  private TimerIndex timers;
  /** Missions looked up: one per timer a pass reads. */
  private int lookups;
  private TimerSweep sweep;

  @BeforeEach
  void openStore() {
    KeyValueStore<String, String> store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("timers"),
        Serdes.String(), Serdes.String()).withLoggingDisabled().build();
    store.init(new MockProcessorContext<>().getStateStoreContext(), store);
    timers = new TimerIndex(store);
    sweep = new TimerSweep(timers, missionId -> {
      lookups++;
      return STARTED;
    });
  }

  @Test
  void forgetsUnderSteadyTrafficStartAPassAtMostOncePerMinute() {
    keptTimers(10);
    sweep.sweep(START);
    assertThat(lookups).isEqualTo(10);

    // A forget at every tick, as with retention under steady traffic.
    for (Instant now = START.plusMillis(100); now.isBefore(START.plus(TimerSweep.PASS)); now = now.plusMillis(100)) {
      sweep.missionForgotten();
      sweep.sweep(now);
    }
    assertThat(lookups).isEqualTo(10);

    sweep.sweep(START.plus(TimerSweep.PASS));
    assertThat(lookups).isEqualTo(20);
  }

  @Test
  void aForgetDuringAPassGetsAPassAfterIt() {
    keptTimers(TimerSweep.BATCH + 50);
    sweep.sweep(START);
    sweep.missionForgotten();
    sweep.sweep(START.plusMillis(100));
    assertThat(lookups).as("the first pass, in two batches").isEqualTo(TimerSweep.BATCH + 50);

    sweep.sweep(START.plus(Duration.ofSeconds(30)));
    assertThat(lookups).isEqualTo(TimerSweep.BATCH + 50);
    sweep.sweep(START.plus(TimerSweep.PASS));
    assertThat(lookups).as("a second pass begun").isEqualTo(2 * TimerSweep.BATCH + 50);
  }

  @Test
  void withoutAForgetNoPassBegins() {
    keptTimers(10);
    sweep.sweep(START);

    sweep.sweep(START.plus(TimerSweep.PASS));
    sweep.sweep(START.plus(TimerSweep.PASS.multipliedBy(5)));

    assertThat(lookups).isEqualTo(10);
  }

  /** Timeouts of missions still stored, due in a day: every pass reads them and keeps them. */
  private void keptTimers(int count) {
    for (int i = 0; i < count; i++) {
      timers.add(new TimerFired("m-" + i, "load", 1, TimerFired.Kind.TIMEOUT, START.plus(Duration.ofDays(1)), STARTED));
    }
  }
}
