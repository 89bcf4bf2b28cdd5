package io.groundcontrol.coordinator;

import static io.groundcontrol.coordinator.CoordinatorDriver.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.groundcontrol.mission.TestPlan;
import io.groundcontrol.schema.CancelMission;
import io.groundcontrol.schema.InstructionKind;
import io.groundcontrol.schema.MissionEvent;
import io.groundcontrol.schema.MissionFinished;
import io.groundcontrol.schema.MissionStarted;
import io.groundcontrol.schema.MissionState;
import io.groundcontrol.schema.MissionStatus;
import io.groundcontrol.schema.ReportFinished;
import io.groundcontrol.schema.StageFinished;
import io.groundcontrol.schema.StageInstruction;
import io.groundcontrol.schema.StageStatus;
import io.groundcontrol.schema.StoredStage;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What a quick stage costs the coordinator in records. Input: every record its stream threads read
 * is one the outside wrote (a start, a report) or one the topology wrote to a topic it reads
 * itself. A quick stage, reported only by its finish, must cost exactly that report, and a mission
 * its start command: nothing the coordinator writes comes back to it. Output: the changelog
 * records its stores write, one per store write.
 */
class InputRecordsPerStageTopologyTest {
  private static final String COMPONENT = "noop";

  @TempDir Path stateDir;

  private CoordinatorDriver coordinator;
  private TestOutputTopic<String, StageInstruction> instructions;
  private long written;

  @BeforeEach
  void setUp() {
    coordinator = new CoordinatorDriver(stateDir);
    instructions = coordinator.instructions(COMPONENT);
    coordinator.apply(TestPlan.named("linear3")
        .stage("a", COMPONENT)
        .stage("b", COMPONENT, "a")
        .stage("c", COMPONENT, "b")
        .build());
  }

  @AfterEach
  void tearDown() {
    coordinator.close();
  }

  @ParameterizedTest(name = "{0} in flight")
  @ValueSource(ints = {1, 64})
  void aQuickStageCostsItsFinishReportAndAMissionItsStart(int inFlight) {
    for (int i = 0; i < inFlight; i++) {
      String missionId = "m" + i;
      Instant startAt = T0.plusMillis(i);
      write(() -> coordinator.start(missionId, "linear3", startAt));
    }
    Instant at = T0.plusSeconds(1);
    for (List<StageInstruction> due = instructions.readValuesToList(); !due.isEmpty(); due = instructions.readValuesToList()) {
      for (StageInstruction instruction : due) {
        assertThat(instruction.getKind()).isEqualTo(InstructionKind.RUN);
        Instant now = at = at.plusMillis(1);
        write(() -> coordinator.report(instruction.getMissionId(), instruction.getStage(), instruction.getAttempt(),
            new ReportFinished(Map.of()), now));
      }
    }

    Map<String, Long> writtenBack = writtenToOwnInputs();
    Map<String, Long> changelogs = changelogRecords();
    List<MissionEvent> events = coordinator.events.readValuesToList();
    long completions = events.stream().filter(e -> e.getEvent() instanceof StageFinished).count();
    assertThat(completions).isEqualTo(3L * inFlight);
    assertThat(events.stream().filter(e -> e.getEvent() instanceof MissionFinished)).hasSize(inFlight);
    assertThat(writtenBack).as("records the coordinator wrote to topics it reads").isEmpty();
    assertThat(written).isEqualTo(inFlight + completions);
    assertThat(written / (double) completions).isEqualTo(4.0 / 3.0);
    // Per mission: the whole mission at each of its 4 transitions (a plan this small is stored
    // whole: MissionStore); no timers, no liveness, and none of the index's 6 writes (it has no
    // changelog: MissionIndex).
    assertThat(changelogs).containsExactlyInAnyOrderEntriesOf(Map.of(
        CoordinatorTopology.MISSION_STORE, 4L * inFlight));
  }

  @Test
  void aSmallMissionIsOneRecordPerTransition() {
    Map<String, Long> before = changelogRecords();

    coordinator.start("m1", "linear3", T0);
    coordinator.report("m1", "a", 1, new ReportFinished(Map.of()), T0.plusSeconds(1));

    assertThat(changelogRecords().get(CoordinatorTopology.MISSION_STORE) - before.getOrDefault(CoordinatorTopology.MISSION_STORE, 0L))
        .as("the whole mission at its start and at the finish of a").isEqualTo(2L);
    assertThat(coordinator.driver.getKeyValueStore(CoordinatorTopology.MISSION_STORE).get("m1"))
        .isInstanceOfSatisfying(MissionState.class, whole -> assertThat(whole.getStages())
            .extracting(StoredStage::getName, StoredStage::getStatus)
            .containsExactly(tuple("a", StageStatus.FINISHED), tuple("b", StageStatus.DISPATCHED), tuple("c", StageStatus.WAITING)));
  }

  @Test
  void aStartWritesTheHeaderHoldingTheStageItDispatchesAndLeavesTheWaitingOnesImplicit() {
    TestPlan wide = TestPlan.named("wide").stage("root", COMPONENT);
    List<String> middle = new ArrayList<>();
    for (int i = 1; i <= MissionStore.WHOLE_MAX_STAGES; i++) {
      middle.add("w" + i);
      wide.stage("w" + i, COMPONENT, "root");
    }
    coordinator.apply(wide.stage("sink", COMPONENT, middle.toArray(String[]::new)).build());
    Map<String, Long> before = changelogRecords();

    coordinator.start("m1", "wide", T0);

    assertThat(changelogRecords().get(CoordinatorTopology.MISSION_STORE) - before.getOrDefault(CoordinatorTopology.MISSION_STORE, 0L))
        .as("the header, holding the dispatched root").isEqualTo(1L);
    MissionState stored = coordinator.stored("m1");
    assertThat(stored.getStages()).hasSize(MissionStore.WHOLE_MAX_STAGES + 2)
        .extracting(StoredStage::getName).startsWith("root", "sink", "w1");
    assertThat(coordinator.storedStage("m1", "w2").getStatus()).isEqualTo(StageStatus.WAITING);
    assertThat(coordinator.storedStage("m1", "w2").getUpdatedAt()).isEqualTo(T0);
    assertThat(coordinator.storedStage("m1", "root").getStatus()).isEqualTo(StageStatus.DISPATCHED);

    coordinator.report("m1", "root", 1, new ReportFinished(Map.of()), T0.plusSeconds(1));
    assertThat(coordinator.storedStage("m1", "w2").getStatus()).isEqualTo(StageStatus.DISPATCHED);
    assertThat(coordinator.storedStage("m1", "sink").getStatus()).isEqualTo(StageStatus.WAITING);
    assertThat(MissionStore.WHOLE_MAX_STAGES).as("more branches out than a header holds").isGreaterThan(MissionStore.HEADER_MAX_STAGES_OUT);
    for (int i = 1; i <= MissionStore.WHOLE_MAX_STAGES; i++) {
      assertThat(coordinator.storedStage("m1", "w" + i).getStatus()).as("w" + i).isEqualTo(StageStatus.DISPATCHED);
    }
    coordinator.command("m1", new CancelMission("test"), T0.plusSeconds(2));
    assertThat(coordinator.stored("m1").getStatus()).isEqualTo(MissionStatus.CANCELLED);
    assertThat(coordinator.stored("m1").getStages()).hasSize(MissionStore.WHOLE_MAX_STAGES + 2);
    assertThat(coordinator.storedStage("m1", "sink").getStatus()).isEqualTo(StageStatus.WAITING);
  }

  @Test
  void theStartAndEndOfAScheduledMissionGoToItsScheduleAndNothingElseDoes() {
    TestOutputTopic<String, MissionEvent> toSchedules = coordinator.driver.createOutputTopic(
        coordinator.topics.scheduledMissionEvents().name(), new StringDeserializer(),
        coordinator.topics.scheduledMissionEvents().valueSerde().deserializer());
    String scheduled = "s.nightly.20261122T013000Z";
    coordinator.start(scheduled, "linear3", T0);
    coordinator.start("m1", "linear3", T0);
    for (String stage : List.of("a", "b", "c")) {
      coordinator.report(scheduled, stage, 1, new ReportFinished(Map.of()), T0.plusSeconds(1));
      coordinator.report("m1", stage, 1, new ReportFinished(Map.of()), T0.plusSeconds(1));
    }

    List<TestRecord<String, MissionEvent>> told = toSchedules.readRecordsToList();
    assertThat(told).extracting(TestRecord::key).containsExactly("nightly", "nightly");
    assertThat(told).extracting(r -> r.value().getMissionId()).containsOnly(scheduled);
    assertThat(told).extracting(r -> r.value().getEvent().getClass().getSimpleName())
        .containsExactly(MissionStarted.class.getSimpleName(), MissionFinished.class.getSimpleName());
  }

  private void write(Runnable pipe) {
    pipe.run();
    written++;
  }

  /** Records by topic the topology wrote to its own sub-topologies' source topics and no one has read here yet. */
  private Map<String, Long> writtenToOwnInputs() {
    Map<String, Long> counts = new TreeMap<>();
    for (String topic : CoordinatorTopology.inputTopics(CoordinatorTopology.build(coordinator.config))) {
      long n = coordinator.driver.createOutputTopic(topic, new ByteArrayDeserializer(), new ByteArrayDeserializer())
          .getQueueSize();
      if (n > 0) {
        counts.put(topic, n);
      }
    }
    return counts;
  }

  /** Changelog records by store, of the stores that wrote any. */
  private Map<String, Long> changelogRecords() {
    String prefix = coordinator.config.applicationId() + "-";
    Map<String, Long> counts = new TreeMap<>();
    for (String topic : coordinator.driver.producedTopicNames()) {
      if (topic.startsWith(prefix) && topic.endsWith("-changelog")) {
        long n = coordinator.driver.createOutputTopic(topic, new ByteArrayDeserializer(), new ByteArrayDeserializer())
            .getQueueSize();
        counts.put(topic.substring(prefix.length(), topic.length() - "-changelog".length()), n);
      }
    }
    counts.values().removeIf(n -> n == 0);
    return counts;
  }
}
