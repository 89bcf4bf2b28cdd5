package io.groundcontrol.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.mission.TimerFired;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TimerIndexTest {
  private KeyValueStore<String, String> store;

  @BeforeEach
  void openStore() {
    store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("timers"), Serdes.String(), Serdes.String())
        .withLoggingDisabled()
        .build();
    store.init(new MockProcessorContext<>().getStateStoreContext(), store);
  }

  @Test
  void takesTheDueTimersEarliestFirstAndLeavesTheRest() {
    TimerIndex timers = new TimerIndex(store);
    timers.add(timeout("m-1", 3_000));
    timers.add(timeout("m-2", 1_000));
    timers.add(timeout("m-3", 2_000));

    assertThat(timers.takeDue(Instant.ofEpochMilli(2_000), 10)).extracting(TimerFired::missionId)
        .containsExactly("m-2", "m-3");
    assertThat(timers.hasDue(Instant.ofEpochMilli(2_999))).isFalse();
    assertThat(timers.hasDue(Instant.ofEpochMilli(3_000))).isTrue();
    assertThat(timers.takeDue(Instant.ofEpochMilli(5_000), 10)).extracting(TimerFired::missionId)
        .containsExactly("m-1");
    assertThat(timers.hasDue(Instant.ofEpochMilli(Long.MAX_VALUE / 1000))).isFalse();
  }

  @Test
  void takesNoMoreThanTheLimitAndKeepsTheOthersForLater() {
    TimerIndex timers = new TimerIndex(store);
    for (int i = 0; i < 5; i++) {
      timers.add(timeout("m-" + i, 100 + i));
    }

    assertThat(timers.takeDue(Instant.ofEpochMilli(1_000), 2)).extracting(TimerFired::missionId)
        .containsExactly("m-0", "m-1");
    assertThat(timers.takeDue(Instant.ofEpochMilli(1_000), 10)).extracting(TimerFired::missionId)
        .containsExactly("m-2", "m-3", "m-4");
  }

  /**
   * Kafka Streams 4.4.0's transactional RocksDB store ignores the upper bound of a range whose
   * lower bound is null (for what it has committed): timers must not depend on that bound alone.
   */
  @Test
  void aTimerNotYetDueStaysPutOnAStoreThatIgnoresTheUpperBoundOfARangeOpenBelow() {
    TimerIndex timers = new TimerIndex(ignoringUpperBoundWhenOpenBelow(store));
    timers.add(timeout("due", 1_000));
    timers.add(timeout("later", 4_000));

    assertThat(timers.takeDue(Instant.ofEpochMilli(1_500), 10)).extracting(TimerFired::missionId)
        .containsExactly("due");
    assertThat(timers.hasDue(Instant.ofEpochMilli(1_500))).isFalse();
    assertThat(store.approximateNumEntries()).isEqualTo(1);
  }

  @Test
  void aTimerReadsBackAsItWasMadeEvenWithSeparatorsInTheMissionId() {
    TimerFired timer = new TimerFired("team|nightly|7", "train", 3, TimerFired.Kind.RETRY, Instant.ofEpochMilli(42),
        Instant.ofEpochMilli(7));
    TimerIndex timers = new TimerIndex(store);
    timers.add(timer);

    assertThat(timers.takeDue(Instant.ofEpochMilli(42), 10)).containsExactly(timer);
  }

  /** A timer stored before timers kept their mission's start holds the mission id as its value. */
  @Test
  void aTimerStoredWithoutItsMissionsStartReadsBackWithoutIt() {
    TimerFired timer = timeout("m-1", 42);
    store.put(TimerIndex.key(timer), "m-1");

    assertThat(new TimerIndex(store).takeDue(Instant.ofEpochMilli(42), 10)).singleElement()
        .satisfies(read -> assertThat(read.missionStartedAt()).isNull()).isEqualTo(timer);
  }

  private static TimerFired timeout(String missionId, long dueMillis) {
    return new TimerFired(missionId, "train", 1, TimerFired.Kind.TIMEOUT, Instant.ofEpochMilli(dueMillis));
  }

  @SuppressWarnings("unchecked")
  private static KeyValueStore<String, String> ignoringUpperBoundWhenOpenBelow(KeyValueStore<String, String> store) {
    return (KeyValueStore<String, String>) Proxy.newProxyInstance(TimerIndexTest.class.getClassLoader(),
        new Class<?>[] {KeyValueStore.class}, (proxy, method, args) -> {
          if (method.getName().equals("range") && args.length == 2 && args[0] == null) {
            return store.all();
          }
          try {
            return method.invoke(store, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }
}
