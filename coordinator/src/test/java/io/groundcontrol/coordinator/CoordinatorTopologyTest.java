package io.groundcontrol.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.mission.TestPlan;
import io.groundcontrol.schema.Actor;
import io.groundcontrol.schema.ActorKind;
import io.groundcontrol.schema.InputRejected;
import io.groundcontrol.schema.InstructionKind;
import io.groundcontrol.schema.MissionCommand;
import io.groundcontrol.schema.MissionEvent;
import io.groundcontrol.schema.MissionState;
import io.groundcontrol.schema.MissionStatus;
import io.groundcontrol.schema.Plan;
import io.groundcontrol.schema.ReportFinished;
import io.groundcontrol.schema.ReportStarted;
import io.groundcontrol.schema.StageInstruction;
import io.groundcontrol.schema.StageReport;
import io.groundcontrol.schema.StartMission;
import io.groundcontrol.schema.wire.TopicNames;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CoordinatorTopologyTest {
  private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
  private static final Actor ANN = new Actor(ActorKind.USER, "ann", null);
  private static final Actor WORKER = new Actor(ActorKind.WORKER, "w-1", "h1");

  @TempDir Path stateDir;

  private final CoordinatorTopics topics = new CoordinatorTopics(TopicNames.DEFAULT);
  private CoordinatorConfig config;
  private TopologyTestDriver driver;
  private TestInputTopic<String, Plan> plans;
  private TestInputTopic<String, MissionCommand> commands;
  private TestInputTopic<String, StageReport> reports;
  private TestInputTopic<String, byte[]> rawCommands;
  private TestOutputTopic<String, MissionEvent> events;
  private TestOutputTopic<String, StageInstruction> warehouse;
  private TestOutputTopic<String, StageInstruction> ml;
  private TestOutputTopic<byte[], byte[]> deadLetters;

  @BeforeEach
  void setUp() {
    config = CoordinatorConfig.defaults("unused:9092", stateDir);
    driver = new TopologyTestDriver(CoordinatorTopology.build(config), config.streamsProperties(), T0);
    StringSerializer keys = new StringSerializer();
    plans = driver.createInputTopic(topics.plans().name(), keys, topics.plans().valueSerde().serializer());
    commands = driver.createInputTopic(topics.commands().name(), keys, topics.commands().valueSerde().serializer());
    reports = driver.createInputTopic(topics.reports().name(), keys, topics.reports().valueSerde().serializer());
    rawCommands = driver.createInputTopic(topics.commands().name(), keys, new ByteArraySerializer());
    StringDeserializer keyReader = new StringDeserializer();
    events = driver.createOutputTopic(topics.events().name(), keyReader, topics.events().valueSerde().deserializer());
    warehouse = driver.createOutputTopic(
        topics.names().instructions("warehouse"), keyReader, CoordinatorTopics.INSTRUCTION.deserializer());
    ml = driver.createOutputTopic(topics.names().instructions("ml"), keyReader, CoordinatorTopics.INSTRUCTION.deserializer());
    deadLetters = driver.createOutputTopic(
        topics.names().deadLetters(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    apply(TestPlan.diamond().build());
  }

  @AfterEach
  void tearDown() {
    driver.close();
  }

  private void apply(Plan plan) {
    plans.pipeInput(plan.getName(), plan, T0);
    plans.pipeInput(PlanKeys.versioned(plan.getName(), plan.getVersion()), plan, T0);
  }

  private void start(String missionId, Instant at) {
    commands.pipeInput(missionId, new MissionCommand(missionId, ANN, at, new StartMission("diamond", Map.of(), List.of(), List.of())), at);
  }

  private void report(String missionId, String stage, Object outcome, Instant at) {
    reports.pipeInput(missionId, new StageReport(missionId, stage, 1, WORKER, at, outcome), at);
  }

  private void run(String missionId, String stage, Instant at) {
    report(missionId, stage, new ReportStarted(), at);
    report(missionId, stage, new ReportFinished(Map.of()), at.plusMillis(1));
  }

  private MissionState stored(String missionId) {
    KeyValueStore<String, MissionState> store = driver.getKeyValueStore(CoordinatorTopology.MISSION_STORE);
    return store.get(missionId);
  }

  @Test
  void aStartCommandDispatchesTheRootToItsComponentTopic() {
    start("m1", T0.plusSeconds(1));

    TestRecord<String, StageInstruction> instruction = warehouse.readRecord();
    assertThat(instruction.key()).isEqualTo("m1");
    assertThat(instruction.value().getKind()).isEqualTo(InstructionKind.RUN);
    assertThat(instruction.value().getStage()).isEqualTo("extract");
    assertThat(instruction.value().getDispatchedAt()).isEqualTo(T0.plusSeconds(1));
    assertThat(events.readValuesToList()).extracting(e -> e.getEvent().getClass().getSimpleName())
        .containsExactly("MissionStarted", "StageDispatched");
  }

  @Test
  void aMissionRunsToTheEndInDependencyOrder() {
    start("m1", T0);
    run("m1", "extract", T0.plusSeconds(1));
    assertThat(warehouse.readValuesToList()).extracting(StageInstruction::getStage).containsExactly("extract", "clean");
    assertThat(ml.readValuesToList()).extracting(StageInstruction::getStage).containsExactly("features");

    run("m1", "clean", T0.plusSeconds(2));
    run("m1", "features", T0.plusSeconds(3));
    run("m1", "train", T0.plusSeconds(4));
    run("m1", "publish", T0.plusSeconds(5));

    assertThat(stored("m1").getStatus()).isEqualTo(MissionStatus.FINISHED);
    List<MissionEvent> log = events.readValuesToList();
    assertThat(log.get(log.size() - 1).getEvent().getClass().getSimpleName()).isEqualTo("MissionFinished");
    assertThat(log).extracting(MissionEvent::getSequence).isSorted().doesNotHaveDuplicates();
    assertThat(log).allSatisfy(e -> assertThat(e.getMissionId()).isEqualTo("m1"));
  }

  @Test
  void eventTimeComesFromTheInputRecord() {
    start("m1", T0.plusSeconds(30));

    assertThat(events.readValuesToList()).allSatisfy(e -> assertThat(e.getTimestamp()).isEqualTo(T0.plusSeconds(30)));
    assertThat(stored("m1").getStartedAt()).isEqualTo(T0.plusSeconds(30));
  }

  @Test
  void missionsAreIndependent() {
    start("m1", T0);
    start("m2", T0);
    report("m1", "extract", new ReportFinished(Map.of()), T0.plusSeconds(1));

    assertThat(stored("m1").getStages().get(0).getStatus().name()).isEqualTo("FINISHED");
    assertThat(stored("m2").getStages().get(0).getStatus().name()).isEqualTo("DISPATCHED");
  }

  @Test
  void aReportForAnUnknownMissionIsRejectedIntoTheLog() {
    report("ghost", "extract", new ReportFinished(Map.of()), T0);

    MissionEvent event = events.readValue();
    assertThat(event.getSequence()).isZero();
    assertThat(((InputRejected) event.getEvent()).getReason()).isEqualTo("Expected mission 'ghost' to exist, but it is unknown");
    assertThat(stored("ghost")).isNull();
  }

  @Test
  void anUndecodableRecordIsSkippedAndProcessingGoesOn() {
    // The dead-letter record itself is checked on a real broker (CoordinatorIT): the test driver
    // does not pass deserialization dead letters through.
    rawCommands.pipeInput("m0", "not avro".getBytes(StandardCharsets.UTF_8), T0);
    start("m1", T0.plusSeconds(1));

    assertThat(stored("m0")).isNull();
    assertThat(stored("m1").getStatus()).isEqualTo(MissionStatus.RUNNING);
  }

  @Test
  void aRecordKeyedByAnotherMissionIsDeadLettered() {
    commands.pipeInput("m2", new MissionCommand("m1", ANN, T0, new StartMission("diamond", Map.of(), List.of(), List.of())), T0);
    start("m3", T0.plusSeconds(1));

    TestRecord<byte[], byte[]> dead = deadLetters.readRecord();
    assertThat(header(dead, "__streams.errors.message")).contains("Expected record key 'm1'");
    assertThat(stored("m1")).isNull();
    assertThat(stored("m3")).isNotNull();
  }

  @Test
  void theTopologyIsAPureFunctionOfItsTopics() {
    assertThat(CoordinatorTopology.build(config).describe().toString())
        .isEqualTo(CoordinatorTopology.build(config).describe().toString())
        .contains(TopicNames.DEFAULT.missionCommands(), TopicNames.DEFAULT.stageReports());
  }

  private static String header(TestRecord<byte[], byte[]> record, String key) {
    Header header = record.headers().lastHeader(key);
    assertThat(header).as("header " + key + " in " + record.headers()).isNotNull();
    return new String(header.value(), StandardCharsets.UTF_8);
  }

}
