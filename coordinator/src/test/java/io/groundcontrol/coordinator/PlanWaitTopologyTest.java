package io.groundcontrol.coordinator;

import static io.groundcontrol.coordinator.CoordinatorDriver.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.mission.TestPlan;
import io.groundcontrol.schema.CancelMission;
import io.groundcontrol.schema.DuplicateStartPolicy;
import io.groundcontrol.schema.InputRejected;
import io.groundcontrol.schema.MissionEvent;
import io.groundcontrol.schema.MissionStarted;
import io.groundcontrol.schema.RejectionReason;
import io.groundcontrol.schema.StartDeduplicated;
import io.groundcontrol.schema.StartMission;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Starts of one mission id that arrive before their plan: the first runs, every later one is
 * answered, and commands sent meanwhile apply to the mission it began.
 */
class PlanWaitTopologyTest {
  @TempDir Path stateDir;

  private CoordinatorDriver coordinator;

  @BeforeEach
  void setUp() {
    coordinator = new CoordinatorDriver(stateDir);
  }

  @AfterEach
  void tearDown() {
    coordinator.close();
  }

  @Test
  void theFirstOfTwoStartsWaitingForThePlanRunsAndTheSecondIsAnsweredByOnDuplicate() {
    coordinator.start("m1", "late", 1, T0);
    coordinator.start("m1", "late", 2, T0.plusMillis(50));
    coordinator.apply(TestPlan.named("late").stage("only", "warehouse").build());
    coordinator.advanceWallClock(Duration.ofMillis(300));

    List<MissionEvent> events = coordinator.events.readValuesToList();
    assertThat(events).extracting(e -> e.getEvent().getClass().getSimpleName())
        .containsExactly("MissionStarted", "StageDispatched", "StartDeduplicated");
    assertThat(((MissionStarted) events.get(0).getEvent()).getPriority()).as("the first start's priority").isEqualTo(1);
    assertThat(((StartDeduplicated) events.get(2).getEvent()).getInput()).isEqualTo("start mission on plan 'late'");
  }

  @Test
  void aStartWhosePlanIsKnownWaitsBehindAnEarlierStartStillWaiting() {
    coordinator.start("m1", "late", 1, T0);
    coordinator.apply(TestPlan.named("late").stage("only", "warehouse").onDuplicate(DuplicateStartPolicy.REJECT).build());
    coordinator.start("m1", "late", 2, T0.plusMillis(50));
    coordinator.advanceWallClock(Duration.ofMillis(300));

    List<MissionEvent> events = coordinator.events.readValuesToList();
    assertThat(events).extracting(e -> e.getEvent().getClass().getSimpleName())
        .containsExactly("MissionStarted", "StageDispatched", "InputRejected");
    assertThat(((MissionStarted) events.get(0).getEvent()).getPriority()).as("the first start's priority").isEqualTo(1);
    assertThat(((InputRejected) events.get(2).getEvent()).getReasonCode()).isEqualTo(RejectionReason.DUPLICATE_MISSION);
  }

  @Test
  void aCancelSentWhileTheStartWaitsForItsPlanCancelsTheMissionOnceItStarts() {
    coordinator.start("m1", "late", T0);
    coordinator.command("m1", new CancelMission("changed my mind"), T0.plusMillis(20));
    coordinator.apply(TestPlan.named("late").stage("only", "warehouse").build());
    coordinator.advanceWallClock(Duration.ofMillis(300));

    assertThat(coordinator.events.readValuesToList()).extracting(e -> e.getEvent().getClass().getSimpleName())
        .containsExactly("MissionStarted", "StageDispatched", "MissionCancelled");
  }

  @Test
  void aCancelQueuedBehindAStartWhosePlanNeverComesIsRejectedAsForAnUnknownMission() {
    coordinator.start("m1", "never", T0);
    coordinator.command("m1", new CancelMission("changed my mind"), T0.plusMillis(20));

    for (int tick = 0; tick < 40; tick++) {
      coordinator.advanceWallClock(PlanWait.RECHECK);
    }

    assertThat(coordinator.events.readValuesToList()).extracting(event -> ((InputRejected) event.getEvent()).getReasonCode())
        .containsExactly(RejectionReason.UNKNOWN_PLAN, RejectionReason.UNKNOWN_MISSION);
  }

  @Test
  void aStartTooLargeToRunIsRejectedAtOnceNotQueuedBehindAWaitingStart() {
    coordinator.start("m1", "late", T0);
    coordinator.command("m1", new StartMission("late", Map.of("blob", "\"" + "x".repeat(300_000) + "\""), List.of(),
        List.of(), false, 0), T0.plusMillis(20));

    assertThat(coordinator.events.readValuesToList()).extracting(event -> ((InputRejected) event.getEvent()).getReasonCode())
        .containsExactly(RejectionReason.INVALID_INPUT);
  }

  @Test
  void everyStartWaitingForAPlanThatNeverComesIsRejected() {
    coordinator.start("m1", "never", T0);
    coordinator.start("m1", "never", T0.plusSeconds(1));
    coordinator.start("m1", "never", T0.plusSeconds(2));

    for (int tick = 0; tick < 40; tick++) {
      coordinator.advanceWallClock(PlanWait.RECHECK);
    }

    assertThat(coordinator.events.readValuesToList()).hasSize(3).allSatisfy(event -> assertThat(
        ((InputRejected) event.getEvent()).getReasonCode()).isEqualTo(RejectionReason.UNKNOWN_PLAN));
  }
}
