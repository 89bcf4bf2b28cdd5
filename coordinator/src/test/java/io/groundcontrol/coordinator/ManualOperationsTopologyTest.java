package io.groundcontrol.coordinator;

import static io.groundcontrol.coordinator.CoordinatorDriver.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.groundcontrol.mission.TestPlan;
import io.groundcontrol.schema.CancelMission;
import io.groundcontrol.schema.FailStage;
import io.groundcontrol.schema.InputRejected;
import io.groundcontrol.schema.InstructionKind;
import io.groundcontrol.schema.MissionStatus;
import io.groundcontrol.schema.ReportFinished;
import io.groundcontrol.schema.ReportStarted;
import io.groundcontrol.schema.SkipStage;
import io.groundcontrol.schema.StageInstruction;
import io.groundcontrol.schema.StageStatus;
import io.groundcontrol.schema.StartMission;
import io.groundcontrol.schema.StoredStage;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.TestOutputTopic;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each manual operation, and a refusal of each, through the real topology. */
class ManualOperationsTopologyTest {
  @TempDir Path stateDir;

  private CoordinatorDriver coordinator;
  private TestOutputTopic<String, StageInstruction> warehouse;

  @BeforeEach
  void setUp() {
    coordinator = new CoordinatorDriver(stateDir);
    warehouse = coordinator.instructions("warehouse");
    coordinator.apply(TestPlan.diamond().build());
  }

  @AfterEach
  void tearDown() {
    coordinator.close();
  }

  private StageStatus status(String stage) {
    return coordinator.stored("m1").getStages().stream().filter(s -> s.getName().equals(stage))
        .map(StoredStage::getStatus).findFirst().orElseThrow();
  }

  private String refusal() {
    return coordinator.events.readValuesToList().stream().map(e -> e.getEvent()).filter(InputRejected.class::isInstance)
        .map(e -> ((InputRejected) e).getReason()).reduce((a, b) -> b).orElseThrow();
  }

  @Test
  void skippingARunningStageStopsItsWorkerAndReleasesDownstream() {
    coordinator.start("m1", "diamond", T0);
    coordinator.report("m1", "extract", 1, new ReportStarted(null, null), T0);
    warehouse.readValuesToList();

    coordinator.command("m1", new SkipStage("extract", "data already there"), T0.plusSeconds(1));

    assertThat(warehouse.readValuesToList()).extracting(StageInstruction::getKind, StageInstruction::getStage)
        .containsExactly(tuple(InstructionKind.CANCEL, "extract"), tuple(InstructionKind.RUN, "clean"));
    assertThat(status("extract")).isEqualTo(StageStatus.SKIPPED);
  }

  @Test
  void aFinishedStageCannotBeSkipped() {
    coordinator.start("m1", "diamond", T0);
    coordinator.report("m1", "extract", 1, new ReportFinished(Map.of()), T0);

    coordinator.command("m1", new SkipStage("extract", null), T0.plusSeconds(1));

    assertThat(refusal()).isEqualTo("Expected stage 'extract' to be WAITING or QUEUED or AWAITING_RETRY or AWAITING_RESULT or "
        + "FAILED or DISPATCHED or RUNNING to skip it, but it is FINISHED");
  }

  @Test
  void markingAStageFailedStopsItAndFailsTheMissionWhenNothingElseRuns() {
    coordinator.start("m1", "diamond", T0);
    warehouse.readValuesToList();

    coordinator.command("m1", new FailStage("extract", "source is corrupt"), T0.plusSeconds(1));

    assertThat(warehouse.readValue().getKind()).isEqualTo(InstructionKind.CANCEL);
    assertThat(coordinator.stored("m1").getStatus()).isEqualTo(MissionStatus.FAILED);
    assertThat(coordinator.stored("m1").getReason())
        .startsWith("stage 'extract' failed on attempt 1: marked failed by ann: source is corrupt");
  }

  @Test
  void aFinishedStageCannotBeMarkedFailed() {
    coordinator.start("m1", "diamond", T0);
    coordinator.report("m1", "extract", 1, new ReportFinished(Map.of()), T0);

    coordinator.command("m1", new FailStage("extract", null), T0.plusSeconds(1));

    assertThat(refusal()).isEqualTo(
        "Expected stage 'extract' to be WAITING or QUEUED or AWAITING_RETRY or AWAITING_RESULT or DISPATCHED or RUNNING to fail it, but it is FINISHED");
  }

  @Test
  void cancellingStopsRunningAttemptsAndAnEndedMissionCannotBeCancelled() {
    coordinator.start("m1", "diamond", T0);
    warehouse.readValuesToList();

    coordinator.command("m1", new CancelMission("wrong inputs"), T0.plusSeconds(1));
    assertThat(warehouse.readValue().getKind()).isEqualTo(InstructionKind.CANCEL);
    coordinator.command("m1", new CancelMission(null), T0.plusSeconds(2));

    assertThat(refusal()).isEqualTo("Expected mission 'm1' to be RUNNING or WAITING to cancel it, but it is CANCELLED");
  }

  @Test
  void excludedStagesAndStartPointsShapeTheMissionAndUnknownNamesAreRefused() {
    coordinator.command("m1", new StartMission("diamond", Map.of(), List.of("features"), List.of(), false, 0), T0);
    assertThat(status("features")).isEqualTo(StageStatus.EXCLUDED);
    assertThat(status("train")).isEqualTo(StageStatus.EXCLUDED);

    coordinator.command("m2", new StartMission("diamond", Map.of(), List.of(), List.of("train"), false, 0), T0);
    assertThat(coordinator.stored("m2").getStages()).extracting(StoredStage::getName, StoredStage::getStatus)
        .contains(tuple("extract", StageStatus.SKIPPED), tuple("train", StageStatus.DISPATCHED));

    coordinator.command("m3", new StartMission("diamond", Map.of(), List.of(), List.of("tran"), false, 0), T0);
    assertThat(refusal()).isEqualTo("Expected stages to start from in plan 'diamond', but it has no stage tran");
  }
}
