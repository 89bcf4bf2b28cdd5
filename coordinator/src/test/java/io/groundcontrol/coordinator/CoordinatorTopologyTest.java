package io.groundcontrol.coordinator;

import static io.groundcontrol.coordinator.CoordinatorDriver.ANN;
import static io.groundcontrol.coordinator.CoordinatorDriver.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.mission.TestPlan;
import io.groundcontrol.schema.CauseKind;
import io.groundcontrol.schema.InputRejected;
import io.groundcontrol.schema.InstructionKind;
import io.groundcontrol.schema.MissionCommand;
import io.groundcontrol.schema.MissionEvent;
import io.groundcontrol.schema.MissionStatus;
import io.groundcontrol.schema.ReportFailed;
import io.groundcontrol.schema.ReportFinished;
import io.groundcontrol.schema.ReportStarted;
import io.groundcontrol.schema.StageError;
import io.groundcontrol.schema.StageInstruction;
import io.groundcontrol.schema.StageFailed;
import io.groundcontrol.schema.StageFinished;
import io.groundcontrol.schema.StageStatus;
import io.groundcontrol.schema.StartMission;
import io.groundcontrol.schema.StoredStage;
import io.groundcontrol.schema.wire.TopicNames;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CoordinatorTopologyTest {
  @TempDir Path stateDir;

  private CoordinatorDriver coordinator;
  private TestOutputTopic<String, StageInstruction> warehouse;
  private TestOutputTopic<String, StageInstruction> ml;
  private TestOutputTopic<byte[], byte[]> deadLetters;

  @BeforeEach
  void setUp() {
    coordinator = new CoordinatorDriver(stateDir);
    warehouse = coordinator.instructions("warehouse");
    ml = coordinator.instructions("ml");
    deadLetters = coordinator.driver.createOutputTopic(
        TopicNames.DEFAULT.deadLetters(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    coordinator.apply(TestPlan.diamond().build());
  }

  @AfterEach
  void tearDown() {
    coordinator.close();
  }

  private void run(String missionId, String stage, Instant at) {
    coordinator.report(missionId, stage, 1, new ReportStarted(null, null), at);
    coordinator.report(missionId, stage, 1, new ReportFinished(Map.of()), at.plusMillis(1));
  }

  @Test
  void aStartCommandDispatchesTheRootToItsComponentTopic() {
    coordinator.start("m1", "diamond", T0.plusSeconds(1));

    TestRecord<String, StageInstruction> instruction = warehouse.readRecord();
    assertThat(instruction.key()).isEqualTo("m1");
    assertThat(instruction.value().getKind()).isEqualTo(InstructionKind.RUN);
    assertThat(instruction.value().getStage()).isEqualTo("extract");
    assertThat(instruction.value().getDispatchedAt()).isEqualTo(T0.plusSeconds(1));
    assertThat(coordinator.newEventKinds()).containsExactly("MissionStarted", "StageDispatched");
  }

  @Test
  void aMissionRunsToTheEndInDependencyOrder() {
    coordinator.start("m1", "diamond", T0);
    run("m1", "extract", T0.plusSeconds(1));
    assertThat(warehouse.readValuesToList()).extracting(StageInstruction::getStage).containsExactly("extract", "clean");
    assertThat(ml.readValuesToList()).extracting(StageInstruction::getStage).containsExactly("features");

    run("m1", "clean", T0.plusSeconds(2));
    run("m1", "features", T0.plusSeconds(3));
    run("m1", "train", T0.plusSeconds(4));
    run("m1", "publish", T0.plusSeconds(5));

    assertThat(coordinator.stored("m1").getStatus()).isEqualTo(MissionStatus.FINISHED);
    List<MissionEvent> log = coordinator.events.readValuesToList();
    assertThat(log.get(log.size() - 1).getEvent().getClass().getSimpleName()).isEqualTo("MissionFinished");
    assertThat(log).extracting(MissionEvent::getSequence).isSorted().doesNotHaveDuplicates();
    assertThat(log).allSatisfy(e -> assertThat(e.getMissionId()).isEqualTo("m1"));
  }

  @Test
  void eventTimeComesFromTheInputRecord() {
    coordinator.start("m1", "diamond", T0.plusSeconds(30));

    assertThat(coordinator.events.readValuesToList())
        .allSatisfy(e -> assertThat(e.getTimestamp()).isEqualTo(T0.plusSeconds(30)));
    assertThat(coordinator.stored("m1").getStartedAt()).isEqualTo(T0.plusSeconds(30));
  }

  @Test
  void missionsAreIndependent() {
    coordinator.start("m1", "diamond", T0);
    coordinator.start("m2", "diamond", T0);
    coordinator.report("m1", "extract", 1, new ReportFinished(Map.of()), T0.plusSeconds(1));

    assertThat(coordinator.storedStage("m1", "extract").getStatus().name()).isEqualTo("FINISHED");
    assertThat(coordinator.storedStage("m2", "extract").getStatus().name()).isEqualTo("DISPATCHED");
  }

  @Test
  void aFinishReportWithoutAStartReportIsLoggedAsFinishedByItsWorkerWithoutAStart() {
    coordinator.start("m1", "diamond", T0);
    coordinator.newEventKinds();

    coordinator.report("m1", "extract", 1, new ReportFinished(Map.of("rows", "3")), T0.plusSeconds(1));

    List<MissionEvent> log = coordinator.events.readValuesToList();
    assertThat(log).extracting(e -> e.getEvent().getClass().getSimpleName())
        .containsExactly("StageFinished", "StageDispatched", "StageDispatched");
    assertThat(((StageFinished) log.get(0).getEvent()).getWorker()).isEqualTo("w-1");
    assertThatEndedByTheReportingWorker(log);
    assertThat(warehouse.readValuesToList()).extracting(StageInstruction::getStage).containsExactly("extract", "clean");
    StoredStage extract = coordinator.storedStage("m1", "extract");
    assertThat(extract.getStatus()).isEqualTo(StageStatus.FINISHED);
    assertThat(extract.getWorker()).isEqualTo("w-1");
  }

  @Test
  void aFailReportWithoutAStartReportIsLoggedAsFailedByItsWorkerWithoutAStart() {
    coordinator.start("m1", "diamond", T0);
    coordinator.newEventKinds();

    coordinator.report("m1", "extract", 1, new ReportFailed(new StageError("table not found", null, false)),
        T0.plusSeconds(1));

    List<MissionEvent> log = coordinator.events.readValuesToList();
    assertThat(log).extracting(e -> e.getEvent().getClass().getSimpleName())
        .containsExactly("StageFailed", "MissionFailed");
    assertThat(((StageFailed) log.get(0).getEvent()).getWorker()).isEqualTo("w-1");
    assertThatEndedByTheReportingWorker(log);
    StoredStage extract = coordinator.storedStage("m1", "extract");
    assertThat(extract.getStatus()).isEqualTo(StageStatus.FAILED);
    assertThat(extract.getWorker()).isEqualTo("w-1");
  }

  /** The outcome is the report's own: same time and cause, and no liveness to watch for an attempt already over. */
  private void assertThatEndedByTheReportingWorker(List<MissionEvent> log) {
    assertThat(log).extracting(MissionEvent::getTimestamp).containsOnly(T0.plusSeconds(1));
    assertThat(log).extracting(e -> e.getCause().getKind()).containsOnly(CauseKind.REPORT);
    assertThat(log).extracting(MissionEvent::getSequence).isSorted().doesNotHaveDuplicates();
    KeyValueStore<String, String> liveness = coordinator.driver.getKeyValueStore(CoordinatorTopology.LIVENESS_STORE);
    try (var watched = liveness.all()) {
      assertThat(watched.hasNext()).isFalse();
    }
  }

  @Test
  void aReportForAnUnknownMissionIsRejectedIntoTheLog() {
    coordinator.report("ghost", "extract", 1, new ReportFinished(Map.of()), T0);

    MissionEvent event = coordinator.events.readValue();
    assertThat(event.getSequence()).isZero();
    assertThat(((InputRejected) event.getEvent()).getReason()).isEqualTo("Expected mission 'ghost' to exist, but it is unknown");
    assertThat(coordinator.stored("ghost")).isNull();
  }

  /**
   * A start timeout of Long.MAX_VALUE ms (a plan built in code; files refuse it) makes a timer
   * beyond epoch milliseconds. Its start is refused whole, before anything is written: not
   * dead-lettered after the mission, its events and its RUN were.
   */
  @Test
  void aDecisionWithATimerThatCannotBeKeptIsRejectedWholeNotHalfWrittenAndDeadLettered() {
    coordinator.apply(TestPlan.named("huge").stage("only", "ml").startTimeout(Long.MAX_VALUE).build());

    coordinator.start("m1", "huge", T0);

    MissionEvent event = coordinator.events.readValue();
    assertThat(((InputRejected) event.getEvent()).getReason()).startsWith("Expected to process the input, but processing"
        + " failed: java.lang.IllegalArgumentException: Expected timer START_TIMEOUT of stage 'only' (attempt 1) to be"
        + " due by +292278994-08-17T07:12:55.807Z, the latest a timer can be kept for, but it is due at ");
    assertThat(coordinator.events.isEmpty()).isTrue();
    assertThat(coordinator.stored("m1")).isNull();
    assertThat(ml.isEmpty()).as("no RUN instruction").isTrue();
    assertThat(deadLetters.isEmpty()).isTrue();
  }

  @Test
  void aStartThatArrivesBeforeItsPlanWaitsForIt() {
    coordinator.start("m1", "late", T0);
    assertThat(coordinator.events.isEmpty()).as("no rejection while the plan may still come").isTrue();

    coordinator.apply(TestPlan.named("late").stage("only", "warehouse").build());
    coordinator.advanceWallClock(java.time.Duration.ofMillis(300));

    assertThat(coordinator.newEventKinds()).containsExactly("MissionStarted", "StageDispatched");
  }

  @Test
  void aStartWhosePlanNeverComesIsRejectedAfterTheGrace() {
    coordinator.start("m1", "never", T0);

    coordinator.advanceWallClock(PlanWait.GRACE.plusSeconds(1));

    MissionEvent event = coordinator.events.readValue();
    assertThat(((InputRejected) event.getEvent()).getReason()).isEqualTo("Expected plan 'never' to be applied, but it is unknown");
  }

  @Test
  void anUndecodableRecordIsSkippedAndProcessingGoesOn() {
    // The dead-letter record itself is checked on a real broker (CoordinatorIT): the test driver
    // does not pass deserialization dead letters through.
    coordinator.rawCommands.pipeInput("m0", "not avro".getBytes(StandardCharsets.UTF_8), T0);
    coordinator.start("m1", "diamond", T0.plusSeconds(1));

    assertThat(coordinator.stored("m0")).isNull();
    assertThat(coordinator.stored("m1").getStatus()).isEqualTo(MissionStatus.RUNNING);
  }

  /**
   * Kafka Streams logs its own warning for each record a handler skipped, with the decoding
   * failure's stack trace (some 20 lines an operator would read as a crash); the coordinator's one
   * line says all of it.
   */
  @Test
  void anUndecodableRecordIsLoggedInOneLineWithoutAStackTrace() {
    ByteArrayOutputStream logged = new ByteArrayOutputStream();
    PrintStream stderr = System.err;
    System.setErr(new PrintStream(logged, true, StandardCharsets.UTF_8));
    try {
      coordinator.rawCommands.pipeInput("m0", "not avro".getBytes(StandardCharsets.UTF_8), T0);
    } finally {
      System.setErr(stderr);
    }

    assertThat(logged.toString(StandardCharsets.UTF_8).lines()).singleElement().asString()
        .contains("Dead-lettered the record at " + TopicNames.DEFAULT.missionCommands() + "[0]@0 with key 'm0'")
        .contains("Expected a single-object encoded MissionCommand");
  }

  @Test
  void aRecordKeyedByAnotherMissionIsDeadLettered() {
    coordinator.commands.pipeInput(
        "m2", new MissionCommand("m1", ANN, T0, new StartMission("diamond", Map.of(), List.of(), List.of(), false, 0)), T0);
    coordinator.start("m3", "diamond", T0.plusSeconds(1));

    TestRecord<byte[], byte[]> dead = deadLetters.readRecord();
    assertThat(header(dead, "__streams.errors.message")).contains("Expected record key 'm1'");
    assertThat(coordinator.stored("m1")).isNull();
    assertThat(coordinator.stored("m3")).isNotNull();
  }

  /** A delete is no input: dead-lettered as bad input (one warning line), not as an unexpected error. */
  @Test
  void aTombstoneIsDeadLetteredAsBadInput() {
    coordinator.rawCommands.pipeInput("m1", null, T0);
    coordinator.start("m2", "diamond", T0.plusSeconds(1));

    TestRecord<byte[], byte[]> dead = deadLetters.readRecord();
    assertThat(header(dead, "__streams.errors.exception")).isEqualTo(InvalidInputException.class.getName());
    assertThat(header(dead, "__streams.errors.message")).isEqualTo(
        "Expected a record with a value, but got a tombstone: no input is a delete");
    assertThat(coordinator.stored("m2")).isNotNull();
  }

  @Test
  void theTopologyIsAPureFunctionOfItsConfig() {
    assertThat(CoordinatorTopology.build(coordinator.config).describe().toString())
        .isEqualTo(CoordinatorTopology.build(coordinator.config).describe().toString())
        .contains(TopicNames.DEFAULT.missionCommands(), TopicNames.DEFAULT.stageReports());
  }

  private static String header(TestRecord<byte[], byte[]> record, String key) {
    var header = record.headers().lastHeader(key);
    assertThat(header).as("header " + key + " in " + record.headers()).isNotNull();
    return new String(header.value(), StandardCharsets.UTF_8);
  }
}
