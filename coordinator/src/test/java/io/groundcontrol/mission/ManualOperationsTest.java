package io.groundcontrol.mission;

import static io.groundcontrol.schema.StageStatus.AWAITING_RETRY;
import static io.groundcontrol.schema.StageStatus.DISPATCHED;
import static io.groundcontrol.schema.StageStatus.FAILED;
import static io.groundcontrol.schema.StageStatus.SKIPPED;
import static io.groundcontrol.schema.StageStatus.WAITING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.groundcontrol.schema.InstructionKind;
import io.groundcontrol.schema.MissionStatus;
import io.groundcontrol.schema.StageFailed;
import io.groundcontrol.schema.StageInstruction;
import io.groundcontrol.schema.StageStatus;
import java.util.List;
import org.junit.jupiter.api.Test;

class ManualOperationsTest {
  private final InMemoryPlans plans = new InMemoryPlans().apply(TestPlan.diamond());
  private final MissionHarness harness = new MissionHarness(plans);

  private StageStatus status(String stage) {
    return harness.mission("m1").stage(stage).orElseThrow().status();
  }

  @Test
  void retryingAFailedStageResumesAFailedMissionAndRunsTheNextAttempt() {
    harness.start("m1", "diamond").stage("m1", "extract").failed("disk full");
    assertThat(harness.mission("m1").status()).isEqualTo(MissionStatus.FAILED);

    harness.retry("m1", "extract", false);

    assertThat(harness.lastEvents()).containsExactly("MissionResumed", "StageReset", "StageDispatched");
    assertThat(harness.lastInstructions()).singleElement().extracting(StageInstruction::getAttempt).isEqualTo(2);
    harness.stage("m1", "extract").runs();
    assertThat(status("clean")).isEqualTo(DISPATCHED);
  }

  @Test
  void retryingWithDownstreamAlsoRerunsSkippedStagesAfterIt() {
    harness.start("m1", "diamond").stage("m1", "extract").runs().stage("m1", "features").failed("oom")
        .skip("m1", "train").stage("m1", "clean").runs();
    assertThat(status("publish")).isEqualTo(DISPATCHED);
    harness.stage("m1", "publish").runs();

    harness.retry("m1", "features", true);

    assertThat(status("train")).isEqualTo(WAITING);
    assertThat(status("publish")).isEqualTo(WAITING);
    assertThat(status("features")).isEqualTo(DISPATCHED);
  }

  @Test
  void aRetryAfterTheRetriesRanOutGetsTheWholeRetryPolicyAgain() {
    plans.apply(TestPlan.named("p").stage("load", "sql").retry(3, 1000));
    harness.start("m1", "p");
    failsTransientlyTimes("load", 3);
    assertThat(status("load")).isEqualTo(FAILED);

    harness.retry("m1", "load", false);
    harness.stage("m1", "load").failed("connection reset");

    assertThat(status("load")).as("attempt 4 is the first of 3 again").isEqualTo(AWAITING_RETRY);
    harness.fire("m1", "load", TimerFired.Kind.RETRY);
    failsTransientlyTimes("load", 2);
    assertThat(harness.mission("m1").stage("load").orElseThrow().attempt()).isEqualTo(6);
    assertThat(status("load")).isEqualTo(FAILED);
  }

  @Test
  void aRetryAfterANonRetryableFailureGetsTheWholeRetryPolicy() {
    plans.apply(TestPlan.named("p").stage("load", "sql").retry(3, 1000));
    harness.start("m1", "p").stage("m1", "load").failedForGood("table locked");

    harness.retry("m1", "load", false);
    failsTransientlyTimes("load", 2);

    assertThat(harness.mission("m1").stage("load").orElseThrow().attempt()).isEqualTo(3);
    assertThat(status("load")).as("attempts 2 and 3 are 2 of 3").isEqualTo(AWAITING_RETRY);
  }

  /** Fails the stage's current attempt {@code times} times with a retryable error, each retry fired. */
  private void failsTransientlyTimes(String stage, int times) {
    for (int failure = 1; failure <= times; failure++) {
      if (failure > 1) {
        harness.fire("m1", stage, TimerFired.Kind.RETRY);
      }
      harness.stage("m1", stage).failed("connection reset");
    }
  }

  @Test
  void onlyAFailedStageCanBeRetried() {
    harness.start("m1", "diamond").stage("m1", "extract").started();

    harness.retry("m1", "extract", false);

    assertThat(harness.lastRejection()).isEqualTo("Expected stage 'extract' to be FAILED to retry it, but it is RUNNING");
  }

  @Test
  void aCancelledMissionCannotBeResumedByARetry() {
    harness.start("m1", "diamond").stage("m1", "extract").runs().stage("m1", "features").failed("x").cancel("m1");

    harness.retry("m1", "features", false);

    assertThat(harness.lastRejection())
        .isEqualTo("Expected mission 'm1' to be RUNNING or FAILED to retry stage 'features', but it is CANCELLED");
  }

  @Test
  void skippingAWaitingStageLetsItsDownstreamRun() {
    harness.start("m1", "diamond").stage("m1", "extract").runs().stage("m1", "clean").runs();

    harness.skip("m1", "features");

    assertThat(status("features")).isEqualTo(SKIPPED);
    assertThat(status("train")).isEqualTo(DISPATCHED);
  }

  @Test
  void skippingARunningStageTellsItsWorkerToStop() {
    harness.start("m1", "diamond").stage("m1", "extract").started();

    harness.skip("m1", "extract");

    assertThat(harness.lastInstructions()).extracting(StageInstruction::getKind, StageInstruction::getStage)
        .containsExactly(
            tuple(InstructionKind.CANCEL, "extract"), tuple(InstructionKind.RUN, "clean"), tuple(InstructionKind.RUN, "features"));
  }

  @Test
  void aFinishedStageCannotBeSkipped() {
    harness.start("m1", "diamond").stage("m1", "extract").runs();

    harness.skip("m1", "extract");

    assertThat(harness.lastRejection()).isEqualTo(
        "Expected stage 'extract' to be WAITING or QUEUED or AWAITING_RETRY or AWAITING_RESULT or FAILED or DISPATCHED or RUNNING to skip it, "
            + "but it is FINISHED");
  }

  @Test
  void markingARunningStageFailedStopsItWithoutRetry() {
    plans.apply(TestPlan.named("p").stage("load", "sql").retry(5, 1000));
    harness.start("m1", "p").stage("m1", "load").started();

    harness.fail("m1", "load");

    assertThat(harness.lastEvents()).containsExactly("StageFailed", "MissionFailed");
    StageFailed failed = (StageFailed) harness.lastEventRecords().get(0).getEvent();
    assertThat(failed.getError().getMessage()).isEqualTo("marked failed by ann: bad data");
    assertThat(failed.getError().getRetryable()).isFalse();
    assertThat(harness.lastInstructions()).singleElement().extracting(StageInstruction::getKind)
        .isEqualTo(InstructionKind.CANCEL);
    assertThat(status("load")).isEqualTo(FAILED);
  }

  @Test
  void operationsOnAnUnknownStageAreRejected() {
    harness.start("m1", "diamond");

    harness.skip("m1", "trian");

    assertThat(harness.lastRejection())
        .isEqualTo("Expected mission 'm1' of plan 'diamond' to have stage 'trian', but it has none");
  }

  @Test
  void startingFromAStageSkipsEverythingBeforeIt() {
    harness.startFrom("m1", "diamond", List.of("train"));

    assertThat(status("extract")).isEqualTo(SKIPPED);
    assertThat(status("clean")).isEqualTo(SKIPPED);
    assertThat(status("features")).isEqualTo(SKIPPED);
    assertThat(status("train")).isEqualTo(DISPATCHED);
    assertThat(status("publish")).isEqualTo(WAITING);
  }
}
