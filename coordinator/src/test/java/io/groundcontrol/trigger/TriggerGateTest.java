package io.groundcontrol.trigger;

import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.admission.InMemoryTable;
import io.groundcontrol.schema.Trigger;
import io.groundcontrol.schema.TriggerBatch;
import io.groundcontrol.schema.TriggerBatchState;
import io.groundcontrol.schema.TriggerMatch;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Dedup windows and batches of event triggers, without Kafka. */
class TriggerGateTest {
  private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
  private final InMemoryTable<TriggerBatchState> batches = new InMemoryTable<>();
  private final TriggerGate gate = new TriggerGate(new InMemoryTable<>(), batches);

  private static Trigger trigger(Duration window, TriggerBatch batch) {
    return Trigger.newBuilder().setName("exports").setTopic("warehouse.exports").setPlan("score")
        .setDedupWindowMs(window == null ? null : window.toMillis()).setBatch(batch).build();
  }

  private static TriggerBatch batch(Integer maxEvents, Duration window) {
    return new TriggerBatch(maxEvents, window == null ? null : window.toMillis(), "exports");
  }

  private List<TriggerGate.Start> match(Trigger trigger, String key, Instant at) {
    return gate.onMatch(trigger, new TriggerMatch("exports", "score", key, Map.of("day", "\"" + key + "-day\""), at,
        null, null, null, trigger == null ? 0 : trigger.getPriority()));
  }

  private static List<String> ids(List<TriggerGate.Start> starts) {
    return starts.stream().map(TriggerGate.Start::missionId).toList();
  }

  @Test
  void aKeyNamesOneMissionWithinItsWindowAndANewOneFromItsEnd() {
    Trigger hourly = trigger(Duration.ofHours(1), null);

    assertThat(ids(match(hourly, "e1", T0))).containsExactly("t.exports.e1.20261201T100000000Z");
    assertThat(ids(match(hourly, "e1", T0.plus(Duration.ofHours(1)).minusMillis(1))))
        .as("last moment of the window: the same mission, answered by on_duplicate")
        .containsExactly("t.exports.e1.20261201T100000000Z");
    assertThat(ids(match(hourly, "e2", T0.plusSeconds(60)))).containsExactly("t.exports.e2.20261201T100100000Z");
    assertThat(ids(match(hourly, "e1", T0.plus(Duration.ofHours(1)))))
        .as("the window's end starts a new one").containsExactly("t.exports.e1.20261201T110000000Z");
    assertThat(ids(match(hourly, "e1", T0.plus(Duration.ofMinutes(90)))))
        .containsExactly("t.exports.e1.20261201T110000000Z");
  }

  @Test
  void aKeysMarkIsDeadOnceItsWindowEndedAGraceBeforeTheNewestEventOrItsTriggerHasNoWindow() {
    Trigger hourly = trigger(Duration.ofHours(1), null);
    String mark = "exports\u0000k\u0000e1";
    Instant graceOver = T0.plus(Duration.ofHours(1)).plus(TriggerGate.MARK_GRACE);

    assertThat(TriggerGate.deadMark(mark, T0.toEpochMilli(), name -> hourly, graceOver)).isFalse();
    assertThat(TriggerGate.deadMark(mark, T0.toEpochMilli(), name -> hourly, graceOver.plusMillis(1))).isTrue();
    assertThat(TriggerGate.deadMark(mark, T0.toEpochMilli(), name -> trigger(null, batch(3, null)), T0))
        .as("dedup_window removed: onMatch reads no mark").isTrue();
    assertThat(TriggerGate.deadMark(mark, T0.toEpochMilli(), name -> null, T0)).as("trigger removed").isTrue();
    assertThat(TriggerGate.deadMark("exports\u0000n", 7L, name -> null, graceOver.plus(Duration.ofDays(999))))
        .as("the next batch number").isFalse();
  }

  @Test
  void aBatchClosesAtMaxEventsWithItsKeysOnceEachAndTheFirstEventsParams() {
    Trigger byThree = trigger(null, batch(3, Duration.ofMinutes(1)));

    assertThat(match(byThree, "a", T0)).isEmpty();
    assertThat(match(byThree, "b", T0.plusSeconds(1))).isEmpty();
    assertThat(match(byThree, "a", T0.plusSeconds(2))).as("a key counts once").isEmpty();
    List<TriggerGate.Start> closed = match(byThree, "c", T0.plusSeconds(3));

    assertThat(closed).singleElement().satisfies(start -> {
      assertThat(start.missionId()).isEqualTo("t.exports.batch.1");
      assertThat(start.params()).containsEntry("exports", "[\"a\",\"b\",\"c\"]").containsEntry("day", "\"a-day\"");
      assertThat(start.at()).isEqualTo(T0.plusSeconds(3));
    });
    assertThat(batches.size()).isZero();
    match(byThree, "d", T0.plusSeconds(4));
    match(byThree, "e", T0.plusSeconds(5));
    assertThat(ids(match(byThree, "f", T0.plusSeconds(6)))).containsExactly("t.exports.batch.2");
  }

  @Test
  void aBatchClosesWhenItsWindowHasPassedEvenIfNoEventComes() {
    Trigger perMinute = trigger(null, batch(100, Duration.ofMinutes(1)));
    match(perMinute, "a", T0);
    match(perMinute, "b", T0.plusSeconds(10));

    assertThat(gate.closeDue(name -> perMinute, T0.plusSeconds(59))).isEmpty();
    List<TriggerGate.Start> closed = gate.closeDue(name -> perMinute, T0.plusSeconds(60));

    assertThat(closed).singleElement().satisfies(start -> {
      assertThat(start.missionId()).isEqualTo("t.exports.batch.1");
      assertThat(start.params()).containsEntry("exports", "[\"a\",\"b\"]");
    });
    assertThat(gate.closeDue(name -> perMinute, T0.plusSeconds(120))).isEmpty();
  }

  @Test
  void anEventAfterTheWindowClosesTheOldBatchFirst() {
    Trigger perMinute = trigger(null, batch(null, Duration.ofMinutes(1)));
    match(perMinute, "a", T0);

    List<TriggerGate.Start> closed = match(perMinute, "b", T0.plusSeconds(61));
    assertThat(closed).singleElement().satisfies(start -> assertThat(start.params()).containsEntry("exports", "[\"a\"]"));
    assertThat(gate.closeDue(name -> perMinute, T0.plusSeconds(121))).singleElement()
        .satisfies(start -> assertThat(start.params()).containsEntry("exports", "[\"b\"]"));
  }

  @Test
  void aKeyBatchedWithinItsDedupWindowIsLeftOutOfLaterBatches() {
    Trigger deduped = trigger(Duration.ofHours(1), batch(2, null));
    match(deduped, "a", T0);
    assertThat(match(deduped, "b", T0.plusSeconds(1))).hasSize(1);

    assertThat(match(deduped, "a", T0.plusSeconds(2))).isEmpty();
    match(deduped, "c", T0.plusSeconds(3));
    assertThat(match(deduped, "d", T0.plusSeconds(4))).singleElement()
        .satisfies(start -> assertThat(start.params()).containsEntry("exports", "[\"c\",\"d\"]"));
  }

  @Test
  void aRemovedTriggerStartsNothingAndItsOpenBatchIsDropped() {
    Trigger perMinute = trigger(null, batch(10, Duration.ofMinutes(1)));
    match(perMinute, "a", T0);

    assertThat(gate.onMatch(null, new TriggerMatch("exports", "score", "b", Map.of(), T0, null, null, null, 0))).isEmpty();
    assertThat(gate.closeDue(name -> null, T0.plusSeconds(120))).isEmpty();
    assertThat(batches.size()).isZero();
  }

  @Test
  void aWindowsMissionCarriesItsMatchsPriorityAndABatchTheFirstEventsAsItsParams() {
    Trigger urgent = Trigger.newBuilder(trigger(Duration.ofHours(1), null)).setPriority(3).build();
    assertThat(match(urgent, "e1", T0)).extracting(TriggerGate.Start::priority).containsExactly(3);

    Trigger byTwo = trigger(null, batch(2, null));
    assertThat(match(Trigger.newBuilder(byTwo).setPriority(5).build(), "a", T0)).isEmpty();
    List<TriggerGate.Start> closed = match(Trigger.newBuilder(byTwo).setPriority(9).build(), "b", T0.plusSeconds(1));

    assertThat(closed).extracting(TriggerGate.Start::priority).as("the trigger's when the batch opened").containsExactly(5);
  }
}
