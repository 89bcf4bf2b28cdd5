package io.groundcontrol.mission;

import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.schema.InstructionKind;
import io.groundcontrol.schema.MissionStatus;
import io.groundcontrol.schema.MissionWaiting;
import io.groundcontrol.schema.StageStatus;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The mission's side of {@code max_active_missions}: a mission of a limited plan waits until the
 * mission-limits sub-topology admits it, and gives its place back however it ends.
 */
class MissionAdmissionsTest {
  private final InMemoryPlans plans = new InMemoryPlans();
  private MissionHarness harness;

  @BeforeEach
  void setUp() {
    plans.apply(TestPlan.named("nightly").stage("extract", "sql").stage("load", "sql", "extract").maxActiveMissions(1));
    plans.apply(TestPlan.named("adhoc").stage("extract", "sql"));
    harness = new MissionHarness(plans);
  }

  private List<Effect> admissionEffects() {
    return harness.lastEffects().stream()
        .filter(e -> e instanceof Effect.AskAdmission || e instanceof Effect.EndAdmission).toList();
  }

  @Test
  void aStartOfALimitedPlanWaitsAndAsksBeforeAnyStageRuns() {
    harness.startWithPriority("m1", "nightly", 3);

    assertThat(harness.lastEvents()).containsExactly("MissionStarted", "MissionWaiting");
    assertThat(harness.lastInstructions()).isEmpty();
    assertThat(admissionEffects()).containsExactly(new Effect.AskAdmission("nightly", 1, 3, 1));
    assertThat(harness.mission("m1").status()).isEqualTo(MissionStatus.WAITING);
    assertThat(harness.mission("m1").reason()).contains("asked for admission: plan 'nightly' allows 1 active mission at once");
    assertThat(harness.mission("m1").stage("extract").orElseThrow().status()).isEqualTo(StageStatus.WAITING);
  }

  @Test
  void aMissionHeldBackSaysHowManyOfThePlanAreActive() {
    harness.start("m1", "nightly").admission("m1", "nightly", false, 1, 1);

    assertThat(harness.lastEvents()).containsExactly("MissionWaiting");
    MissionWaiting waiting = (MissionWaiting) harness.lastEventRecords().get(0).getEvent();
    assertThat(waiting.getActive()).isEqualTo(1);
    assertThat(harness.mission("m1").reason()).contains("1 of 1 active missions of plan 'nightly'");
    assertThat(harness.lastEventRecords().get(0).getCause().getActor()).isEqualTo(MissionEngine.MISSION_LIMITS);
  }

  @Test
  void anAdmittedMissionRunsItsRootsAndGivesItsPlaceBackWhenItFinishes() {
    harness.start("m1", "nightly").admission("m1", "nightly", true, 1, 1);

    assertThat(harness.lastEvents()).containsExactly("MissionAdmitted", "StageDispatched");
    assertThat(harness.mission("m1").status()).isEqualTo(MissionStatus.RUNNING);
    assertThat(harness.mission("m1").reason()).isEmpty();
    assertThat(harness.lastInstructions()).extracting(i -> i.getStage()).containsExactly("extract");

    harness.stage("m1", "extract").runs();
    assertThat(admissionEffects()).isEmpty();
    harness.stage("m1", "load").runs();
    assertThat(harness.lastEvents()).endsWith("MissionFinished");
    assertThat(admissionEffects()).containsExactly(new Effect.EndAdmission("nightly", 1, "finished", 1));
  }

  @Test
  void aFailedMissionGivesItsPlaceBackAndARetryAsksAgainBeforeRunning() {
    harness.start("m1", "nightly").admission("m1", "nightly", true, 1, 1);
    harness.stage("m1", "extract").failedForGood("bad input");
    assertThat(harness.mission("m1").status()).isEqualTo(MissionStatus.FAILED);
    assertThat(admissionEffects()).containsExactly(new Effect.EndAdmission("nightly", 1, "failed", 1));

    harness.retry("m1", "extract", false);
    assertThat(harness.lastEvents()).containsExactly("MissionResumed", "MissionWaiting", "StageReset");
    assertThat(harness.lastInstructions()).isEmpty();
    assertThat(admissionEffects()).containsExactly(new Effect.AskAdmission("nightly", 1, 0, 2));

    harness.admission("m1", "nightly", true, 1, 1);
    assertThat(harness.lastEvents()).containsExactly("MissionAdmitted", "StageDispatched");
  }

  /** Skipping the one failed stage leaves nothing to run: the mission ends at once, as without a limit. */
  @Test
  void skippingTheLastFailedStageOfAFailedMissionFinishesItWithoutWaitingForAPlace() {
    harness.start("m1", "nightly").admission("m1", "nightly", true, 1, 1);
    harness.stage("m1", "extract").finished();
    harness.stage("m1", "load").failedForGood("disk full");

    harness.skip("m1", "load");

    assertThat(harness.lastEvents()).containsExactly("MissionResumed", "StageSkipped", "MissionFinished");
    assertThat(harness.mission("m1").status()).isEqualTo(MissionStatus.FINISHED);
    assertThat(admissionEffects()).doesNotHaveAnyElementsOfTypes(Effect.AskAdmission.class);
  }

  /** Skipping a failed stage whose downstream is then ready: that needs a place, so the mission asks for one. */
  @Test
  void skippingAFailedStageWithDownstreamLeftWaitsForAPlaceBeforeRunningIt() {
    harness.start("m1", "nightly").admission("m1", "nightly", true, 1, 1);
    harness.stage("m1", "extract").failedForGood("bad input");

    harness.skip("m1", "extract");

    assertThat(harness.lastEvents()).containsExactly("MissionResumed", "StageSkipped", "MissionWaiting");
    assertThat(harness.lastInstructions()).noneMatch(i -> i.getKind() == InstructionKind.RUN);
    assertThat(admissionEffects()).containsExactly(new Effect.AskAdmission("nightly", 1, 0, 2));
    harness.admission("m1", "nightly", true, 1, 1);
    assertThat(harness.lastEvents()).containsExactly("MissionAdmitted", "StageDispatched");
  }

  @Test
  void cancellingAWaitingMissionWithdrawsItsAskAndALateAdmissionIsHandedBack() {
    harness.start("m1", "nightly").admission("m1", "nightly", false, 1, 1);
    harness.cancel("m1");
    assertThat(harness.lastEvents()).containsExactly("MissionCancelled");
    assertThat(admissionEffects()).containsExactly(new Effect.EndAdmission("nightly", 1, "cancelled", 1));

    harness.admission("m1", "nightly", true, 1, 1);
    assertThat(harness.lastEvents()).isEmpty();
    assertThat(harness.lastInstructions()).isEmpty();
    assertThat(harness.mission("m1").status()).isEqualTo(MissionStatus.CANCELLED);
    assertThat(admissionEffects()).as("handed back; the limits, which had the end after it, ignore it")
        .containsExactly(new Effect.EndAdmission("nightly", 1, "admitted after it ended", 1));
  }

  /**
   * Under at-least-once the mission limits may read a mission's ask again after its end gave the
   * place back, and admit it anew: the mission hands that place straight back, or the place would
   * stay taken for ever and every later mission of the plan wait.
   */
  @Test
  void anAdmissionOfAMissionThatEndedHandsThePlaceBack() {
    harness.start("m1", "nightly").admission("m1", "nightly", true, 1, 1);
    harness.stage("m1", "extract").runs();
    harness.stage("m1", "load").runs();
    assertThat(harness.mission("m1").status()).isEqualTo(MissionStatus.FINISHED);

    harness.admission("m1", "nightly", true, 1, 1);

    assertThat(harness.lastEvents()).isEmpty();
    assertThat(admissionEffects()).containsExactly(new Effect.EndAdmission("nightly", 1, "admitted after it ended", 1));
  }

  @Test
  void anAdmissionOfARunningMissionIsARepeatAndKeepsItsPlace() {
    harness.start("m1", "nightly").admission("m1", "nightly", true, 1, 1);

    harness.admission("m1", "nightly", true, 1, 1);
    harness.admission("m1", "nightly", false, 1, 1);

    assertThat(harness.lastEvents()).isEmpty();
    assertThat(admissionEffects()).isEmpty();
    assertThat(harness.mission("m1").status()).isEqualTo(MissionStatus.RUNNING);
  }

  /**
   * Under at-least-once the admission of a mission's first ask may be read again after it failed
   * (which gave the place back) and was retried (which asked anew): it answers the earlier ask, so
   * the mission keeps waiting for the answer to its latest, and hands that admission back under the
   * earlier ask's number, which the limits hold only if they admitted that ask anew.
   */
  @Test
  void anAdmissionOfAnEarlierAskLeavesAWaitingMissionWaitingAndIsHandedBack() {
    harness.start("m1", "nightly").admission("m1", "nightly", true, 1, 1);
    harness.stage("m1", "extract").failedForGood("bad input");
    harness.retry("m1", "extract", false);
    assertThat(harness.mission("m1").admissionAsk()).isEqualTo(2);

    harness.admission("m1", "nightly", true, 1, 1, 1);

    assertThat(harness.lastEvents()).isEmpty();
    assertThat(harness.lastInstructions()).isEmpty();
    assertThat(harness.mission("m1").status()).isEqualTo(MissionStatus.WAITING);
    assertThat(admissionEffects()).containsExactly(new Effect.EndAdmission("nightly", 1, "admitted on an earlier ask", 1));

    harness.admission("m1", "nightly", false, 1, 1, 1);
    assertThat(harness.lastEvents()).as("a not-yet of the earlier ask says nothing of the latest").isEmpty();
    assertThat(admissionEffects()).isEmpty();

    harness.admission("m1", "nightly", true, 1, 1, 2);
    assertThat(harness.lastEvents()).containsExactly("MissionAdmitted", "StageDispatched");
  }

  /** A running mission admitted on an earlier ask holds its place by its latest: the earlier one is handed back. */
  @Test
  void anAdmissionOfAnEarlierAskOfARunningMissionIsHandedBackUnderThatAsk() {
    harness.start("m1", "nightly").admission("m1", "nightly", true, 1, 1);
    harness.stage("m1", "extract").failedForGood("bad input");
    harness.retry("m1", "extract", false).admission("m1", "nightly", true, 1, 1);
    assertThat(harness.mission("m1").status()).isEqualTo(MissionStatus.RUNNING);

    harness.admission("m1", "nightly", true, 1, 1, 1);

    assertThat(harness.lastEvents()).isEmpty();
    assertThat(harness.mission("m1").status()).isEqualTo(MissionStatus.RUNNING);
    assertThat(admissionEffects()).containsExactly(new Effect.EndAdmission("nightly", 1, "admitted on an earlier ask", 1));
    harness.stage("m1", "extract").runs();
    harness.stage("m1", "load").runs();
    assertThat(admissionEffects()).as("its end gives back the place of its latest ask")
        .containsExactly(new Effect.EndAdmission("nightly", 1, "finished", 2));
  }

  /** The ask's number is part of the mission's state: the log rebuilds it, as for every other field. */
  @Test
  void theLatestAskIsRebuiltFromTheLog() {
    harness.start("m1", "nightly").admission("m1", "nightly", true, 1, 1);
    harness.stage("m1", "extract").failedForGood("bad input");
    harness.retry("m1", "extract", false);

    assertThat(new EventAppliers().replay(harness.log("m1")).admissionAsk()).isEqualTo(2);
  }

  @Test
  void aWaitingMissionTakesNoStageOperation() {
    harness.start("m1", "nightly");
    harness.skip("m1", "extract");

    assertThat(harness.lastRejection()).isEqualTo(
        "Expected mission 'm1' to be RUNNING or FAILED to skip stage 'extract', but it is WAITING");
  }

  @Test
  void aPlanWithoutALimitNeverAsks() {
    harness.start("m1", "adhoc");

    assertThat(harness.lastEvents()).containsExactly("MissionStarted", "StageDispatched");
    assertThat(admissionEffects()).isEmpty();
    harness.stage("m1", "extract").runs();
    assertThat(admissionEffects()).isEmpty();
  }
}
