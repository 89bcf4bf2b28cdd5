package io.groundcontrol.coordinator;

import static io.groundcontrol.coordinator.CoordinatorDriver.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.mission.TestPlan;
import io.groundcontrol.schema.MissionStatus;
import io.groundcontrol.schema.ReportFinished;
import io.groundcontrol.schema.StageError;
import io.groundcontrol.schema.ReportFailed;
import io.groundcontrol.schema.StageInstruction;
import io.groundcontrol.schema.StageStatus;
import io.groundcontrol.schema.StartMission;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.TestOutputTopic;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reuse through both sub-topologies, missions and results, and the internal topics between them. */
class ReuseTopologyTest {
  @TempDir Path stateDir;

  private CoordinatorDriver coordinator;
  private TestOutputTopic<String, StageInstruction> warehouse;
  private TestOutputTopic<String, StageInstruction> ml;

  @BeforeEach
  void setUp() {
    coordinator = new CoordinatorDriver(stateDir);
    warehouse = coordinator.instructions("warehouse");
    ml = coordinator.instructions("ml");
    coordinator.apply(TestPlan.named("daily")
        .stage("extract", "warehouse", Map.of("day", "\"2026-11-22\"")).reuse(Duration.ofMinutes(60).toMillis())
        .stage("train", "ml", Map.of("table", "\"${stages.extract.outputs.table}\""), "extract")
        .build());
  }

  @AfterEach
  void tearDown() {
    coordinator.close();
  }

  private void finish(String mission, String stage, Instant at) {
    coordinator.report(mission, stage, 1, new ReportFinished(Map.of("table", "\"staging.events\"")), at);
  }

  private List<String> instructedMissions(TestOutputTopic<String, StageInstruction> topic) {
    return topic.readValuesToList().stream().map(i -> i.getMissionId() + "/" + i.getStage()).toList();
  }

  @Test
  void aSecondMissionWithinMaxAgeReusesAndOneAfterItRecomputes() {
    coordinator.start("m1", "daily", T0);
    assertThat(instructedMissions(warehouse)).containsExactly("m1/extract");
    finish("m1", "extract", T0.plusSeconds(1));

    coordinator.start("m2", "daily", T0.plus(Duration.ofMinutes(12)));

    assertThat(instructedMissions(warehouse)).as("no worker runs m2's extract").isEmpty();
    assertThat(coordinator.storedStage("m2", "extract").getStatus()).isEqualTo(StageStatus.REUSED);
    assertThat(coordinator.storedStage("m2", "extract").getReusedFrom().getMissionId()).isEqualTo("m1");
    StageInstruction train = ml.readValuesToList().stream().filter(i -> i.getMissionId().equals("m2"))
        .findFirst().orElseThrow();
    assertThat(train.getParams()).containsEntry("table", "\"staging.events\"");

    coordinator.start("m3", "daily", T0.plus(Duration.ofMinutes(61)));
    assertThat(instructedMissions(warehouse)).containsExactly("m3/extract");
  }

  /** m1's extract ends at 10:00:01 on a worker whose clock says 12:00:01; m2 starts at 12:30, 2.5 h later. */
  @Test
  void aResultFromAWorkerWhoseClockRunsFastAgesOnTheCoordinatorsClock() {
    coordinator.start("m1", "daily", T0);
    instructedMissions(warehouse);
    coordinator.advanceWallClock(Duration.ofSeconds(1));
    finish("m1", "extract", T0.plusSeconds(1).plus(Duration.ofHours(2)));

    coordinator.advanceWallClock(Duration.ofMinutes(150).minusSeconds(1));
    coordinator.start("m2", "daily", T0.plus(Duration.ofMinutes(150)));

    assertThat(instructedMissions(warehouse)).as("a 2.5 h old result under max_age 60m").containsExactly("m2/extract");
  }

  /** m1's extract ends at 10:00:01; m2 starts two hours later from a host whose clock runs a day slow. */
  @Test
  void aStartFromAHostWhoseClockRunsSlowReusesNoResultOlderThanMaxAge() {
    coordinator.start("m1", "daily", T0);
    instructedMissions(warehouse);
    coordinator.advanceWallClock(Duration.ofSeconds(1));
    finish("m1", "extract", T0.plusSeconds(1));

    coordinator.advanceWallClock(Duration.ofHours(2));
    coordinator.start("m2", "daily", T0.plus(Duration.ofHours(2)).minus(Duration.ofDays(1)));

    assertThat(instructedMissions(warehouse)).as("a 2 h old result under max_age 60m").containsExactly("m2/extract");
  }

  @Test
  void twoIdenticalStagesStartedTogetherRunOnce() {
    coordinator.start("m1", "daily", T0);
    coordinator.start("m2", "daily", T0);

    assertThat(instructedMissions(warehouse)).containsExactly("m1/extract");
    assertThat(coordinator.storedStage("m2", "extract").getStatus()).isEqualTo(StageStatus.AWAITING_RESULT);

    finish("m1", "extract", T0.plusSeconds(5));

    assertThat(coordinator.storedStage("m2", "extract").getStatus()).isEqualTo(StageStatus.REUSED);
    assertThat(instructedMissions(warehouse)).isEmpty();
    assertThat(instructedMissions(ml)).containsExactlyInAnyOrder("m1/train", "m2/train");
  }

  @Test
  void aWaiterRunsItselfWhenTheStageItWaitedForFails() {
    coordinator.start("m1", "daily", T0);
    coordinator.start("m2", "daily", T0);
    instructedMissions(warehouse);

    coordinator.report("m1", "extract", 1, new ReportFailed(new StageError("warehouse down", null, false)),
        T0.plusSeconds(5));

    assertThat(coordinator.stored("m1").getStatus()).isEqualTo(MissionStatus.FAILED);
    assertThat(instructedMissions(warehouse)).containsExactly("m2/extract");
    assertThat(coordinator.storedStage("m2", "extract").getStatus()).isEqualTo(StageStatus.DISPATCHED);
  }

  @Test
  void noReuseRecomputesAndItsResultIsReusedAfterwards() {
    coordinator.start("m1", "daily", T0);
    finish("m1", "extract", T0.plusSeconds(1));
    instructedMissions(warehouse);

    coordinator.command("m2", new StartMission("daily", Map.of(), List.of(), List.of(), true, 0), T0.plusSeconds(10));
    assertThat(instructedMissions(warehouse)).containsExactly("m2/extract");
    // A result's age counts from when the coordinator read its finish, on its own clock.
    coordinator.advanceWallClock(Duration.ofSeconds(20));
    finish("m2", "extract", T0.plusSeconds(20));

    coordinator.advanceWallClock(Duration.ofMinutes(60).minusSeconds(10));
    coordinator.start("m3", "daily", T0.plus(Duration.ofMinutes(60)).plusSeconds(10));
    assertThat(coordinator.storedStage("m3", "extract").getStatus()).isEqualTo(StageStatus.REUSED);
    assertThat(coordinator.storedStage("m3", "extract").getReusedFrom().getMissionId()).isEqualTo("m2");
  }
}
