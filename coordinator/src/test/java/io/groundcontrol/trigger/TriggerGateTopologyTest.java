package io.groundcontrol.trigger;

import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.mission.TestPlan;
import io.groundcontrol.schema.MissionEvent;
import io.groundcontrol.schema.MissionStarted;
import io.groundcontrol.schema.StartDeduplicated;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Triggers with a dedup window and with batches, in the whole coordinator topology, on wall-clock
 * time; and the gate's sweep of its marks, event time moved by the events piped.
 */
class TriggerGateTopologyTest {
  private static final Instant T0 = TriggerDriver.T0;
  private static final String FILE = """
      triggers:
        - name: hourly
          topic: exports
          when: { kind: single }
          plan: score
          params: { customer: "${event.customer_id}" }
          key: ${event.export_id}
          dedup_window: 1h
          priority: 4
        - name: batched
          topic: exports
          when: { kind: bulk }
          plan: score
          params: { customer: "${event.customer_id}" }
          key: ${event.export_id}
          batch: { max_events: 3, window: 1m, keys_param: exports }
          priority: 6
      """;

  @TempDir Path stateDir;
  private TriggerDriver coordinator;
  private TopologyTestDriver driver;
  private TestInputTopic<String, String> exports;
  private TestOutputTopic<String, MissionEvent> events;

  @BeforeEach
  void setUp() {
    open(true);
  }

  /** Runs the coordinator afresh, exactly-once or not. */
  private void open(boolean exactlyOnce) {
    if (coordinator != null) {
      coordinator.close();
    }
    coordinator = new TriggerDriver(stateDir, FILE,
        TestPlan.named("score").param("customer", null).param("exports", "[]").stage("a", "ml").build(), exactlyOnce);
    driver = coordinator.driver;
    exports = coordinator.exports;
    events = coordinator.events;
  }

  @AfterEach
  void tearDown() {
    coordinator.close();
  }

  private void export(String kind, String exportId, Instant at) {
    exports.pipeInput(null, "{\"kind\":\"" + kind + "\",\"customer_id\":7,\"export_id\":\"" + exportId + "\"}", at);
  }

  private void bulk(Instant at, String... exportIds) {
    for (String exportId : exportIds) {
      export("bulk", exportId, at);
    }
  }

  private List<String> started(List<MissionEvent> log) {
    return log.stream().filter(e -> e.getEvent() instanceof MissionStarted).map(MissionEvent::getMissionId).toList();
  }

  @Test
  void aKeyStartsOneMissionWithinTheWindowAndANewOneRightAfterIt() {
    export("single", "e-1", T0);
    export("single", "e-1", T0.plus(Duration.ofHours(1)).minusMillis(1));
    List<MissionEvent> inside = events.readValuesToList();
    assertThat(started(inside)).containsExactly("t.hourly.e-1.20261122T100000000Z");
    assertThat(inside).filteredOn(e -> e.getEvent() instanceof MissionStarted)
        .extracting(e -> ((MissionStarted) e.getEvent()).getPriority()).as("the trigger's priority").containsExactly(4);
    assertThat(inside).filteredOn(e -> e.getEvent() instanceof StartDeduplicated).extracting(MissionEvent::getMissionId)
        .containsExactly("t.hourly.e-1.20261122T100000000Z");

    export("single", "e-1", T0.plus(Duration.ofHours(1)));
    export("single", "e-1", T0.plus(Duration.ofMinutes(61)));
    List<MissionEvent> after = events.readValuesToList();
    assertThat(started(after)).containsExactly("t.hourly.e-1.20261122T110000000Z");
    assertThat(after).filteredOn(e -> e.getEvent() instanceof StartDeduplicated).hasSize(1);
  }

  @Test
  void aBatchStartsOneMissionAtMaxEventsWithItsKeys() {
    export("bulk", "e-1", T0);
    export("bulk", "e-2", T0);
    assertThat(started(events.readValuesToList())).isEmpty();

    export("bulk", "e-3", T0);
    List<MissionEvent> log = events.readValuesToList();
    assertThat(log).filteredOn(e -> e.getEvent() instanceof MissionStarted).singleElement().satisfies(e -> {
      assertThat(e.getMissionId()).isEqualTo("t.batched.batch.1");
      assertThat(((MissionStarted) e.getEvent()).getParams())
          .containsEntry("exports", "[\"e-1\",\"e-2\",\"e-3\"]").containsEntry("customer", "7");
      assertThat(((MissionStarted) e.getEvent()).getPriority()).as("the trigger's priority").isEqualTo(6);
      assertThat(e.getCause().getActor().getId()).isEqualTo("trigger:batched");
    });
  }

  /** Under {@code --at-least-once} a closed batch's events may be read again after a crash before the offset commit. */
  @Test
  void eventsOfAClosedBatchReadAgainStartNoSecondBatch() {
    open(false);
    bulk(T0, "e-1", "e-2", "e-3");
    assertThat(started(events.readValuesToList())).containsExactly("t.batched.batch.1");

    coordinator.rewindExports(0);
    bulk(T0, "e-1", "e-2", "e-3");
    driver.advanceWallClockTime(Duration.ofMinutes(2));

    assertThat(started(events.readValuesToList())).as("the same three events, batched once").isEmpty();
  }

  /**
   * Under {@code --at-least-once}, a gate behind on a backlog reads an event, events hours newer,
   * sweeps the event's mark, and crashes before its commit: the event read again finds no mark.
   */
  @Test
  void anEventReadAgainAfterItsMarkWasSweptStartsNoSecondMission() {
    open(false);
    export("single", "e-1", T0);
    export("single", "e-1", T0.plus(Duration.ofMinutes(30)));
    export("single", "e-2", T0.plus(Duration.ofHours(3)));
    sweep();
    assertThat(started(events.readValuesToList())).hasSize(2);
    assertThat(marks()).doesNotContain("hourly/k/e-1");

    coordinator.rewindExports(1);
    export("single", "e-1", T0.plus(Duration.ofMinutes(30)));

    assertThat(started(events.readValuesToList())).as("e-1 at 10:30 joined the mission of 10:00").isEmpty();
  }

  /** Under at-least-once a batch half read again after a crash still closes with each event once. */
  @Test
  void anOpenBatchReadAgainTakesEachEventOnce() {
    open(false);
    bulk(T0, "e-1", "e-2");
    coordinator.rewindExports(0);
    bulk(T0, "e-1", "e-2", "e-3", "e-4");

    List<MissionEvent> log = events.readValuesToList();
    assertThat(log).filteredOn(e -> e.getEvent() instanceof MissionStarted).singleElement()
        .satisfies(e -> assertThat(((MissionStarted) e.getEvent()).getParams())
            .containsEntry("exports", "[\"e-1\",\"e-2\",\"e-3\"]"));
    driver.advanceWallClockTime(Duration.ofMinutes(2));
    assertThat(started(events.readValuesToList())).as("e-4 in a batch of its own").containsExactly("t.batched.batch.2");
  }

  /** The trigger topic deleted and created again: its offsets start at 0 again, its records are newer. */
  @Test
  void underAtLeastOnceATopicCreatedAgainStillBatchesItsNewRecords() {
    open(false);
    bulk(T0, "e-1", "e-2", "e-3");
    assertThat(started(events.readValuesToList())).containsExactly("t.batched.batch.1");

    coordinator.rewindExports(0);
    bulk(T0.plusSeconds(10), "e-4", "e-5", "e-6");
    assertThat(started(events.readValuesToList())).containsExactly("t.batched.batch.2");
  }

  /** Exactly-once reads no record again: a record at an offset read before is a new one (topic created again). */
  @Test
  void underExactlyOnceARecordAtAnOffsetReadBeforeIsTakenAsBefore() {
    bulk(T0, "e-1", "e-2", "e-3");
    coordinator.rewindExports(0);
    bulk(T0, "e-1", "e-2", "e-3");

    assertThat(started(events.readValuesToList())).containsExactly("t.batched.batch.1", "t.batched.batch.2");
    assertThat(marks()).containsExactly("batched/n");
  }

  @Test
  void aQuietTopicStillClosesItsBatchWhenTheWindowHasPassedOnTheWallClock() {
    export("bulk", "e-1", T0);
    driver.advanceWallClockTime(Duration.ofSeconds(59));
    assertThat(started(events.readValuesToList())).isEmpty();

    driver.advanceWallClockTime(Duration.ofSeconds(2));
    List<MissionEvent> log = events.readValuesToList();
    assertThat(log).filteredOn(e -> e.getEvent() instanceof MissionStarted).singleElement()
        .satisfies(e -> assertThat(((MissionStarted) e.getEvent()).getParams()).containsEntry("exports", "[\"e-1\"]"));

    export("bulk", "e-2", T0.plusSeconds(70));
    driver.advanceWallClockTime(Duration.ofSeconds(60));
    assertThat(started(events.readValuesToList())).as("wall clock at 2:01, the batch opened at 1:10").isEmpty();
    driver.advanceWallClockTime(Duration.ofSeconds(10));
    assertThat(started(events.readValuesToList())).containsExactly("t.batched.batch.2");
  }

  /** Moves the wall clock past the pause between two sweeps, which runs one. */
  private void sweep() {
    driver.advanceWallClockTime(TriggerGateProcessor.MARK_PASS.plusSeconds(1));
  }

  private List<String> marks() {
    KeyValueStore<String, Long> store = driver.getKeyValueStore(TriggerTopology.GATE_MARKS_STORE);
    List<String> keys = new ArrayList<>();
    try (KeyValueIterator<String, Long> all = store.all()) {
      all.forEachRemaining(entry -> keys.add(entry.key.replace('\u0000', '/')));
    }
    return keys;
  }

  private List<String> newEvents(Class<?> kind) {
    return events.readValuesToList().stream().filter(e -> kind.isInstance(e.getEvent()))
        .map(MissionEvent::getMissionId).toList();
  }

  @Test
  void aMarkGoesOnceEventsAnHourPastItsWindowsEndAreReadAndOnesWithinStillDeduplicate() {
    export("single", "e-1", T0);
    export("single", "e-2", T0.plus(Duration.ofMinutes(90)));
    sweep();
    assertThat(marks()).as("e-1's window ended 30 min before the newest event").contains("hourly/k/e-1");

    export("single", "e-1", T0.plus(Duration.ofMinutes(50)));
    assertThat(newEvents(StartDeduplicated.class)).as("an event 40 min late still joins its window")
        .containsExactly("t.hourly.e-1.20261122T100000000Z");

    export("single", "e-3", T0.plus(Duration.ofMinutes(121)));
    sweep();
    assertThat(marks()).containsExactlyInAnyOrder("hourly/k/e-2", "hourly/k/e-3");

    export("single", "e-2", T0.plus(Duration.ofMinutes(130)));
    assertThat(newEvents(StartDeduplicated.class)).as("a mark kept still deduplicates")
        .containsExactly("t.hourly.e-2.20261122T113000000Z");
  }

  @Test
  void theMarksOfARemovedTriggerGoButNotTheNextBatchNumber() {
    export("single", "e-1", T0);
    export("bulk", "e-1", T0);
    sweep();
    assertThat(marks()).containsExactlyInAnyOrder("hourly/k/e-1", "batched/n");

    coordinator.triggers.pipeInput("hourly", null, T0);
    coordinator.triggers.pipeInput("batched", null, T0);
    sweep();

    assertThat(marks()).as("a removed batched trigger applied again must not name batch.1 again")
        .containsExactly("batched/n");
  }
}
