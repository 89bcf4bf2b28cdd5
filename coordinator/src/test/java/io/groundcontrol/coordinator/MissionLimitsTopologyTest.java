package io.groundcontrol.coordinator;

import static io.groundcontrol.coordinator.CoordinatorDriver.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.mission.MissionEngine;
import io.groundcontrol.mission.TestPlan;
import io.groundcontrol.schema.CancelMission;
import io.groundcontrol.schema.InstructionKind;
import io.groundcontrol.schema.MissionEvent;
import io.groundcontrol.schema.MissionState;
import io.groundcontrol.schema.MissionStatus;
import io.groundcontrol.schema.ReportFailed;
import io.groundcontrol.schema.ReportFinished;
import io.groundcontrol.schema.StageError;
import io.groundcontrol.schema.StageInstruction;
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

/**
 * The missions and the mission-limits sub-topology together: missions of a plan with
 * {@code max_active_missions} ask through mission-admission-requests (keyed by plan) and are
 * answered through mission-admissions (keyed by mission id).
 */
class MissionLimitsTopologyTest {
  @TempDir Path stateDir;

  private CoordinatorDriver coordinator;
  private TestOutputTopic<String, StageInstruction> sql;
  private Instant clock = T0.plusSeconds(1);

  @BeforeEach
  void setUp() {
    coordinator = new CoordinatorDriver(stateDir);
    sql = coordinator.instructions("sql");
    coordinator.apply(nightly(1));
    coordinator.apply(TestPlan.named("adhoc").stage("load", "sql").build());
  }

  @AfterEach
  void tearDown() {
    coordinator.close();
  }

  private static io.groundcontrol.schema.Plan nightly(Integer limit) {
    return TestPlan.named("nightly").version("v" + limit).stage("load", "sql").maxActiveMissions(limit).build();
  }

  private Instant tick() {
    clock = clock.plusMillis(10);
    return clock;
  }

  private List<String> runs() {
    return sql.readValuesToList().stream().filter(i -> i.getKind() == InstructionKind.RUN)
        .map(StageInstruction::getMissionId).toList();
  }

  private MissionState mission(String missionId) {
    return coordinator.stored(missionId);
  }

  @Test
  void limitOneRunsOneMissionAtATimeAndTheOthersSayWhyTheyWait() {
    for (int i = 1; i <= 3; i++) {
      coordinator.start("m" + i, "nightly", tick());
    }
    assertThat(runs()).containsExactly("m1");
    assertThat(mission("m2").getStatus()).isEqualTo(MissionStatus.WAITING);
    assertThat(mission("m2").getReason()).isEqualTo("1 of 1 active missions of plan 'nightly'");

    coordinator.report("m1", "load", 1, new ReportFinished(Map.of()), tick());
    assertThat(runs()).containsExactly("m2");
    assertThat(mission("m2").getStatus()).isEqualTo(MissionStatus.RUNNING);
    assertThat(mission("m3").getStatus()).isEqualTo(MissionStatus.WAITING);

    coordinator.report("m2", "load", 1, new ReportFailed(new StageError("boom", null, false)), tick());
    assertThat(mission("m2").getStatus()).isEqualTo(MissionStatus.FAILED);
    assertThat(runs()).containsExactly("m3");
    coordinator.report("m3", "load", 1, new ReportFinished(Map.of()), tick());
    assertThat(mission("m3").getStatus()).isEqualTo(MissionStatus.FINISHED);
  }

  @Test
  void theLogShowsWaitingAndAdmittedCausedByTheMissionLimits() {
    coordinator.start("m1", "nightly", tick());
    coordinator.start("m2", "nightly", tick());
    coordinator.command("m1", new CancelMission("not today"), tick());

    List<MissionEvent> m2 = coordinator.events.readValuesToList().stream()
        .filter(e -> e.getMissionId().equals("m2")).toList();
    assertThat(m2).extracting(e -> e.getEvent().getClass().getSimpleName())
        .containsExactly("MissionStarted", "MissionWaiting", "MissionWaiting", "MissionAdmitted", "StageDispatched");
    assertThat(m2.get(3).getCause().getActor()).isEqualTo(MissionEngine.MISSION_LIMITS);
    assertThat(runs()).containsExactly("m1", "m2");
  }

  /**
   * The mission limits read asks and ends as they arrive: an end reported late, from a partition
   * that was down, frees a place a later ask takes. The log must not show that admission before
   * the ask, or an audit would count two active missions where the limit allowed one.
   */
  @Test
  void aPlaceFreedByALateEndIsNotLoggedAsAdmittedBeforeTheAsk() {
    clock = T0.minusSeconds(10); // inputs in the past: the driver's clock stands at T0
    Instant beforeTheOthers = clock;
    coordinator.start("m1", "nightly", tick());
    coordinator.start("m2", "nightly", tick());
    coordinator.events.readValuesToList();

    coordinator.report("m1", "load", 1, new ReportFinished(Map.of()), beforeTheOthers);

    List<MissionEvent> m2 = coordinator.events.readValuesToList().stream()
        .filter(e -> e.getMissionId().equals("m2")).toList();
    assertThat(m2).extracting(e -> e.getEvent().getClass().getSimpleName())
        .containsExactly("MissionAdmitted", "StageDispatched");
    assertThat(m2.get(0).getTimestamp()).as("the admission, at the latest input the mission limits had read")
        .isEqualTo(clock);
    assertThat(runs()).containsExactly("m1", "m2");
  }

  @Test
  void waitingMissionsAreAdmittedByPriorityThenAge() {
    coordinator.start("first", "nightly", tick());
    coordinator.start("low", "nightly", 0, tick());
    coordinator.start("high", "nightly", 5, tick());
    coordinator.start("high-later", "nightly", 5, tick());
    runs();

    for (String running : List.of("first", "high", "high-later")) {
      coordinator.report(running, "load", 1, new ReportFinished(Map.of()), tick());
    }
    assertThat(runs()).containsExactly("high", "high-later", "low");
  }

  @Test
  void cancellingAWaitingMissionWithdrawsItAndCancellingAnActiveOneAdmitsTheNext() {
    coordinator.start("m1", "nightly", tick());
    coordinator.start("m2", "nightly", tick());
    coordinator.start("m3", "nightly", tick());
    coordinator.command("m2", new CancelMission("not needed"), tick());
    assertThat(mission("m2").getStatus()).isEqualTo(MissionStatus.CANCELLED);

    coordinator.command("m1", new CancelMission("not needed"), tick());
    assertThat(runs()).containsExactly("m1", "m3");
    assertThat(mission("m2").getStatus()).isEqualTo(MissionStatus.CANCELLED);
  }

  @Test
  void aRaisedLimitAdmitsWithinATickWithoutRestart() {
    for (int i = 1; i <= 4; i++) {
      coordinator.start("m" + i, "nightly", tick());
    }
    assertThat(runs()).containsExactly("m1");

    coordinator.apply(nightly(3));
    coordinator.advanceWallClock(Duration.ofMillis(250));
    assertThat(runs()).containsExactly("m2", "m3");
    assertThat(mission("m4").getStatus()).isEqualTo(MissionStatus.WAITING);

    coordinator.apply(nightly(null));
    coordinator.advanceWallClock(Duration.ofMillis(250));
    assertThat(runs()).containsExactly("m4");
  }

  @Test
  void anEndAfterTheLimitWasRemovedAdmitsEveryWaitingMissionBeforeAnyTick() {
    for (int i = 1; i <= 3; i++) {
      coordinator.start("m" + i, "nightly", tick());
    }
    assertThat(runs()).containsExactly("m1");

    coordinator.apply(nightly(null));
    coordinator.report("m1", "load", 1, new ReportFinished(Map.of()), tick());

    assertThat(runs()).as("the latest plan has no limit: not the one the asks carried").containsExactly("m2", "m3");
  }

  @Test
  void aPlanWithoutALimitStartsAtOnceAndAsksNothing() {
    coordinator.start("a1", "adhoc", tick());
    coordinator.start("a2", "adhoc", tick());

    assertThat(runs()).containsExactly("a1", "a2");
    assertThat(coordinator.newEventKinds()).doesNotContain("MissionWaiting", "MissionAdmitted");
  }
}
