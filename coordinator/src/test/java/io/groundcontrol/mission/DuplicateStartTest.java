package io.groundcontrol.mission;

import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.schema.DuplicateStartPolicy;
import io.groundcontrol.schema.MissionStatus;
import io.groundcontrol.schema.StageStatus;
import io.groundcontrol.schema.StartDeduplicated;
import org.junit.jupiter.api.Test;

/** A start of a mission id that exists is answered by the plan's on_duplicate, never started twice. */
class DuplicateStartTest {
  private final InMemoryPlans plans = new InMemoryPlans();
  private final MissionHarness harness = new MissionHarness(plans);

  private void plan(DuplicateStartPolicy policy) {
    plans.apply(TestPlan.named("p").stage("a", "warehouse").stage("b", "ml", "a").onDuplicate(policy));
  }

  @Test
  void returnExistingAnswersWithTheExistingMissionAndChangesNothing() {
    plan(DuplicateStartPolicy.RETURN_EXISTING);
    harness.start("m1", "p").stage("m1", "a").started();
    long sequence = harness.mission("m1").sequence();

    harness.start("m1", "p");

    assertThat(harness.lastEvents()).containsExactly("StartDeduplicated");
    assertThat(harness.lastEventRecords().get(0).getEvent())
        .isEqualTo(new StartDeduplicated("start mission on plan 'p'", MissionStatus.RUNNING));
    assertThat(harness.lastInstructions()).isEmpty();
    assertThat(harness.mission("m1").sequence()).isEqualTo(sequence + 1);
    assertThat(harness.mission("m1").stage("a").orElseThrow().status()).isEqualTo(StageStatus.RUNNING);
  }

  @Test
  void rejectRecordsARejectionInTheExistingMission() {
    plan(DuplicateStartPolicy.REJECT);
    harness.start("m1", "p").start("m1", "p");

    assertThat(harness.lastRejection()).startsWith(
        "Expected mission 'm1' to be new (plan 'p' rejects duplicate starts), but it is RUNNING since ");
  }

  @Test
  void allowIfFailedRunsTheFailedStagesOfAFailedMissionAgain() {
    plan(DuplicateStartPolicy.ALLOW_IF_FAILED);
    harness.start("m1", "p").stage("m1", "a").failedForGood("boom");
    assertThat(harness.mission("m1").status()).isEqualTo(MissionStatus.FAILED);

    harness.start("m1", "p");

    assertThat(harness.lastEvents()).containsExactly("MissionResumed", "StageReset", "StageDispatched");
    assertThat(harness.mission("m1").status()).isEqualTo(MissionStatus.RUNNING);
    assertThat(harness.lastInstructions()).singleElement().satisfies(i -> {
      assertThat(i.getStage()).isEqualTo("a");
      assertThat(i.getAttempt()).isEqualTo(2);
    });
  }

  @Test
  void allowIfFailedReturnsARunningOrFinishedMission() {
    plan(DuplicateStartPolicy.ALLOW_IF_FAILED);
    harness.start("m1", "p").start("m1", "p");

    assertThat(harness.lastEvents()).containsExactly("StartDeduplicated");
  }
}
