package io.groundcontrol.coordinator;

import static io.groundcontrol.coordinator.CoordinatorDriver.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.groundcontrol.mission.EventAppliers;
import io.groundcontrol.mission.TestPlan;
import io.groundcontrol.schema.CauseKind;
import io.groundcontrol.schema.InstructionKind;
import io.groundcontrol.schema.MissionEvent;
import io.groundcontrol.schema.MissionHeader;
import io.groundcontrol.schema.MissionState;
import io.groundcontrol.schema.MissionStatus;
import io.groundcontrol.schema.ReportFinished;
import io.groundcontrol.schema.ReportStarted;
import io.groundcontrol.schema.StageDispatched;
import io.groundcontrol.schema.StageInstruction;
import io.groundcontrol.schema.StoredStage;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A foreach stage through the whole topology: chunk instances as stages of their own (store entries
 * of their own once the mission has more than {@link MissionStore#WHOLE_MAX_STAGES}),
 * instructions named {@code score[k]}, max_parallel and a component cap both holding.
 */
class FanOutTopologyTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int IDS = 95;

  @TempDir Path stateDir;

  private Instant clock = T0.plusSeconds(1);

  private static TestPlan plan(int maxParallel) {
    return TestPlan.named("fan")
        .stage("list", "lists")
        .stage("score", "scorer", Map.of("ids", "\"${chunk.items}\""), "list")
        .foreach("${stages.list.outputs.ids}", 10, maxParallel)
        .stage("publish", "publisher", Map.of("firsts", "\"${stages.score.outputs.first}\""), "score");
  }

  private Instant tick() {
    clock = clock.plusMillis(10);
    return clock;
  }

  /** Scores every chunk as its instruction arrives, oldest first; returns the most out at once. */
  private int scoreAll(CoordinatorDriver coordinator, TestOutputTopic<String, StageInstruction> scorer,
      Map<Integer, Integer> timesScored) throws Exception {
    Deque<StageInstruction> out = new ArrayDeque<>();
    int mostOut = 0;
    while (true) {
      scorer.readValuesToList().stream().filter(i -> i.getKind() == InstructionKind.RUN).forEach(out::add);
      mostOut = Math.max(mostOut, out.size());
      if (out.isEmpty()) {
        return mostOut;
      }
      StageInstruction run = out.poll();
      JsonNode ids = JSON.readTree(run.getParams().get("ids"));
      ids.forEach(id -> timesScored.merge(id.intValue(), 1, Integer::sum));
      coordinator.report("m1", run.getStage(), run.getAttempt(),
          new ReportFinished(Map.of("first", ids.get(0).toString(), "n", Integer.toString(ids.size()))), tick());
    }
  }

  private static String ids() {
    return IntStream.range(0, IDS).mapToObj(Integer::toString).collect(Collectors.joining(",", "[", "]"));
  }

  @Test
  void everyIdIsScoredOnceInChunksAndPublishGetsTheChunksOutputsInOrder() throws Exception {
    try (CoordinatorDriver coordinator = new CoordinatorDriver(stateDir)) {
      TestOutputTopic<String, StageInstruction> scorer = coordinator.instructions("scorer");
      TestOutputTopic<String, StageInstruction> publisher = coordinator.instructions("publisher");
      coordinator.apply(plan(3).build());
      coordinator.start("m1", "fan", T0);
      coordinator.report("m1", "list", 1, new ReportFinished(Map.of("ids", ids())), tick());

      Map<Integer, Integer> timesScored = new HashMap<>();
      int mostOut = scoreAll(coordinator, scorer, timesScored);

      assertThat(mostOut).as("max_parallel").isEqualTo(3);
      assertThat(timesScored).hasSize(IDS).allSatisfy((id, times) -> assertThat(times).as("id " + id).isEqualTo(1));
      StageInstruction publish = publisher.readValue();
      assertThat(publish.getParams().get("firsts"))
          .isEqualTo(IntStream.range(0, 10).mapToObj(k -> Integer.toString(k * 10)).collect(Collectors.joining(",", "[", "]")));
      coordinator.report("m1", "publish", 1, new ReportFinished(Map.of()), tick());

      MissionState stored = coordinator.stored("m1");
      assertThat(stored.getStatus()).isEqualTo(MissionStatus.FINISHED);
      assertThat(stored.getStages()).extracting(StoredStage::getName).contains("score[0]", "score[9]");
      assertThat(coordinator.storedStage("m1", "score[9]").getItems()).isEqualTo("[90,91,92,93,94]");
      assertThat(coordinator.storedStage("m1", "score").getFanOut().getDone()).isEqualTo(10);
      assertFoldEqualsStore(coordinator, stored);
    }
  }

  @Test
  void aFanOutIntoMoreStagesThanAMissionStoredWholeHoldsGoesOnInEntries() throws Exception {
    int ids = 200;
    try (CoordinatorDriver coordinator = new CoordinatorDriver(stateDir)) {
      TestOutputTopic<String, StageInstruction> scorer = coordinator.instructions("scorer");
      TestOutputTopic<String, StageInstruction> publisher = coordinator.instructions("publisher");
      coordinator.apply(plan(4).build());
      coordinator.start("m1", "fan", T0);
      KeyValueStore<String, SpecificRecord> store = coordinator.driver.getKeyValueStore(CoordinatorTopology.MISSION_STORE);
      assertThat(store.get("m1")).isInstanceOf(MissionState.class);
      coordinator.report("m1", "list", 1, new ReportFinished(Map.of("ids",
          IntStream.range(0, ids).mapToObj(Integer::toString).collect(Collectors.joining(",", "[", "]")))), tick());
      assertThat(store.get("m1")).as("3 stages and 20 chunks: past MissionStore.WHOLE_MAX_STAGES")
          .isInstanceOf(MissionHeader.class);
      assertThat(((MissionHeader) store.get("m1")).getStagesOut()).as("the fan-out stage held, its chunks in entries")
          .extracting(StoredStage::getName).containsExactly("score");

      Map<Integer, Integer> timesScored = new HashMap<>();
      scoreAll(coordinator, scorer, timesScored);
      assertThat(timesScored).hasSize(ids).allSatisfy((id, times) -> assertThat(times).as("id " + id).isEqualTo(1));
      assertThat(publisher.readValue().getParams().get("firsts"))
          .isEqualTo(IntStream.range(0, 20).mapToObj(k -> Integer.toString(k * 10)).collect(Collectors.joining(",", "[", "]")));
      coordinator.report("m1", "publish", 1, new ReportFinished(Map.of()), tick());

      MissionState stored = coordinator.stored("m1");
      assertThat(stored.getStatus()).isEqualTo(MissionStatus.FINISHED);
      assertThat(stored.getStages()).hasSize(23);
      assertThat(coordinator.storedStage("m1", "score").getFanOut().getDone()).isEqualTo(20);
      assertFoldEqualsStore(coordinator, stored);
    }
  }

  @Test
  void aComponentCapBelowMaxParallelHoldsToo() throws Exception {
    try (CoordinatorDriver coordinator = new CoordinatorDriver(stateDir)) {
      TestOutputTopic<String, StageInstruction> scorer = coordinator.instructions("scorer");
      coordinator.apply(plan(5).build());
      coordinator.cap("scorer", 2, T0);
      coordinator.start("m1", "fan", T0);
      coordinator.report("m1", "list", 1, new ReportFinished(Map.of("ids", ids())), tick());

      Map<Integer, Integer> timesScored = new HashMap<>();
      int mostOut = scoreAll(coordinator, scorer, timesScored);

      assertThat(mostOut).as("the cap of scorer").isEqualTo(2);
      assertThat(timesScored).hasSize(IDS);
      assertThat(coordinator.stored("m1").getStatus()).isEqualTo(MissionStatus.RUNNING);
      assertThat(coordinator.storedStage("m1", "publish").getStatus().name()).isEqualTo("DISPATCHED");
    }
  }

  /**
   * The admission grants on its tick, stamping the grants with its own clock, here 5 ms behind the
   * worker that reported last. The dispatches were logged at the grant's time, 5 ms before that
   * report's event; they are logged at the report's time now. Meanwhile the stage's counters tell
   * the chunks waiting for a slot from the one a worker runs.
   */
  @Test
  void dispatchesOnGrantsAreNotLoggedBeforeTheEventsBeforeThem() throws Exception {
    try (CoordinatorDriver coordinator = new CoordinatorDriver(stateDir)) {
      coordinator.apply(plan(3).build());
      coordinator.cap("scorer", 1, T0);
      coordinator.start("m1", "fan", T0);
      coordinator.advanceWallClock(Duration.ofSeconds(1));
      coordinator.report("m1", "list", 1, new ReportFinished(Map.of("ids", ids())), tick());
      assertThat(coordinator.storedStage("m1", "score").getFanOut())
          .satisfies(fanOut -> assertThat(fanOut.getActive()).isEqualTo(3))
          .satisfies(fanOut -> assertThat(fanOut.getQueuedForSlot()).as("score[1] and score[2]").isEqualTo(2));
      Instant aheadOfTheCoordinator = T0.plus(Duration.ofMillis(1_205));
      coordinator.report("m1", "score[0]", 1, new ReportStarted(null, null), aheadOfTheCoordinator);

      coordinator.cap("scorer", 3, T0);
      coordinator.advanceWallClock(Duration.ofMillis(200));

      List<MissionEvent> events = coordinator.events.readValuesToList();
      assertThat(events).filteredOn(e -> e.getEvent() instanceof StageDispatched)
          .filteredOn(e -> e.getCause().getKind() == CauseKind.ADMISSION)
          .extracting(e -> ((StageDispatched) e.getEvent()).getStage(), MissionEvent::getTimestamp)
          .contains(tuple("score[1]", aheadOfTheCoordinator), tuple("score[2]", aheadOfTheCoordinator));
      for (int i = 1; i < events.size(); i++) {
        assertThat(events.get(i).getTimestamp()).as("event " + events.get(i).getSequence() + " of " + events)
            .isAfterOrEqualTo(events.get(i - 1).getTimestamp());
      }
      assertThat(coordinator.storedStage("m1", "score").getFanOut().getQueuedForSlot()).isZero();
    }
  }

  /** The log folded through the appliers gives the store's entries: what replay --verify checks. */
  private static void assertFoldEqualsStore(CoordinatorDriver coordinator, MissionState stored) {
    List<MissionEvent> events = new ArrayList<>(coordinator.events.readValuesToList());
    MissionState folded = MissionStateCodec.toStored(new EventAppliers().replay(events));
    Comparator<StoredStage> byName = Comparator.comparing(StoredStage::getName);
    assertThat(folded.getStages().stream().sorted(byName).toList())
        .isEqualTo(stored.getStages().stream().sorted(byName).toList());
    assertThat(folded.getSequence()).isEqualTo(stored.getSequence());
  }
}
