package io.groundcontrol.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.mission.TimerFired;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
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

  /** From 2286 on (10^13 ms), a due time has more than the 13 digits every key had: it must still sort as time. */
  @Test
  void timersDueFrom2286OnAndBefore1970KeepTheOrderOfTime() {
    long in2286 = 10_000_000_000_000L;
    TimerIndex timers = new TimerIndex(store);
    timers.add(timeout("max", Long.MAX_VALUE));
    timers.add(timeout("2286+1ms", in2286 + 1));
    timers.add(timeout("2286", in2286));
    timers.add(timeout("2286-1ms", in2286 - 1));
    timers.add(timeout("now", 1_763_800_000_000L));
    timers.add(timeout("1969", -5));
    timers.add(timeout("min", Long.MIN_VALUE));

    assertThat(timers.takeDue(Instant.ofEpochMilli(-6), 10)).extracting(TimerFired::missionId).containsExactly("min");
    assertThat(timers.takeDue(Instant.ofEpochMilli(1_763_800_000_000L), 10)).extracting(TimerFired::missionId)
        .containsExactly("1969", "now");
    assertThat(timers.hasDue(Instant.ofEpochMilli(in2286 - 2))).isFalse();
    assertThat(timers.takeDue(Instant.ofEpochMilli(in2286), 10)).extracting(TimerFired::missionId)
        .containsExactly("2286-1ms", "2286");
    assertThat(timers.takeDue(Instant.ofEpochMilli(Long.MAX_VALUE - 1), 10)).containsExactly(timeout("2286+1ms", in2286 + 1));
    assertThat(timers.takeDue(Instant.ofEpochMilli(Long.MAX_VALUE), 10)).containsExactly(timeout("max", Long.MAX_VALUE));
    assertThat(store.approximateNumEntries()).isZero();
  }

  /** Timers stored before due times could pass 2286 have 13-digit keys: they keep reading and firing as they were. */
  @Test
  void timersStoredInThe13DigitLayoutFireInOrderAmongLaterOnes() {
    store.put("1763800000000|TIMEOUT|1|load|old", "@1763790000000");
    store.put("1763800005000|START_TIMEOUT|1|train|team|7", "team|7");
    TimerIndex timers = new TimerIndex(store);
    timers.add(timeout("new", 1_763_800_002_000L));
    timers.add(timeout("far", 10_000_000_000_000L));

    assertThat(TimerIndex.key(timeout("new", 1_763_800_002_000L))).startsWith("1763800002000|");
    assertThat(timers.takeDue(Instant.ofEpochMilli(20_000_000_000_000L), 10)).containsExactly(
        new TimerFired("old", "load", 1, TimerFired.Kind.TIMEOUT, Instant.ofEpochMilli(1_763_800_000_000L),
            Instant.ofEpochMilli(1_763_790_000_000L)),
        timeout("new", 1_763_800_002_000L),
        new TimerFired("team|7", "train", 1, TimerFired.Kind.START_TIMEOUT, Instant.ofEpochMilli(1_763_800_005_000L),
            null),
        timeout("far", 10_000_000_000_000L));
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

  /**
   * The sweep of forgotten missions' timers reads a batch at a time from where it stopped, starts
   * past what is due (being fired), reaches timers due after 2286 too, and says when none is left.
   */
  @Test
  void removesTheOutlivedTimersABatchAtATimeFromWhereItStopped() {
    TimerIndex timers = new TimerIndex(store);
    timers.add(timeout("due", 1_000));
    timers.add(timeout("gone-1", 2_000));
    timers.add(timeout("kept", 3_000));
    timers.add(timeout("gone-2", 4_000));
    timers.add(timeout("gone-3", Long.MAX_VALUE));
    List<String> read = new ArrayList<>();
    Predicate<TimerFired> gone = timer -> read.add(timer.missionId()) && timer.missionId().startsWith("gone");

    String stoppedAt = timers.removeOutlived(null, Instant.ofEpochMilli(1_000), 2, gone);
    assertThat(read).containsExactly("gone-1", "kept");
    assertThat(stoppedAt).isEqualTo(TimerIndex.key(timeout("kept", 3_000)));
    assertThat(timers.removeOutlived(stoppedAt, Instant.ofEpochMilli(1_000), 2, gone)).as("none left after").isNull();
    assertThat(read).containsExactly("gone-1", "kept", "gone-2", "gone-3");

    assertThat(timers.takeDue(Instant.ofEpochMilli(Long.MAX_VALUE), 10)).extracting(TimerFired::missionId)
        .containsExactly("due", "kept");
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
