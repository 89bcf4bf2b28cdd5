package io.groundcontrol.mission;

import static io.groundcontrol.schema.StageStatus.DISPATCHED;
import static io.groundcontrol.schema.StageStatus.EXCLUDED;
import static io.groundcontrol.schema.StageStatus.FAILED;
import static io.groundcontrol.schema.StageStatus.FINISHED;
import static io.groundcontrol.schema.StageStatus.RUNNING;
import static io.groundcontrol.schema.StageStatus.WAITING;
import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.schema.RejectionReason;
import io.groundcontrol.schema.InstructionKind;
import io.groundcontrol.schema.MissionEvent;
import io.groundcontrol.schema.MissionStatus;
import io.groundcontrol.schema.StageInstruction;
import io.groundcontrol.schema.StageFailed;
import io.groundcontrol.schema.StageFinished;
import io.groundcontrol.schema.StageStarted;
import io.groundcontrol.schema.StageStatus;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class MissionEngineTest {
  private final InMemoryPlans plans = new InMemoryPlans().apply(TestPlan.diamond());
  private final MissionHarness harness = new MissionHarness(plans);

  private StageStatus status(String stage) {
    return harness.mission("m1").stage(stage).orElseThrow().status();
  }

  @Nested
  class DependencyOrder {
    @Test
    void startDispatchesOnlyTheRoots() {
      harness.start("m1", "diamond");

      assertThat(harness.lastEvents()).containsExactly("MissionStarted", "StageDispatched");
      assertThat(status("extract")).isEqualTo(DISPATCHED);
      assertThat(status("clean")).isEqualTo(WAITING);
      assertThat(harness.lastInstructions()).singleElement().satisfies(i -> {
        assertThat(i.getKind()).isEqualTo(InstructionKind.RUN);
        assertThat(i.getStage()).isEqualTo("extract");
        assertThat(i.getComponent()).isEqualTo("warehouse");
        assertThat(i.getAttempt()).isEqualTo(1);
      });
    }

    @Test
    void aFinishedStageReleasesEveryDownstreamStage() {
      harness.start("m1", "diamond").stage("m1", "extract").runs();

      assertThat(status("clean")).isEqualTo(DISPATCHED);
      assertThat(status("features")).isEqualTo(DISPATCHED);
      assertThat(harness.lastInstructions()).extracting(StageInstruction::getStage).containsExactly("clean", "features");
    }

    @Test
    void aStageWithSeveralUpstreamsWaitsForAllOfThem() {
      harness.start("m1", "diamond").stage("m1", "extract").runs().stage("m1", "clean").runs();

      assertThat(status("train")).isEqualTo(WAITING);

      harness.stage("m1", "features").runs();
      assertThat(status("train")).isEqualTo(DISPATCHED);
    }

    @Test
    void theMissionFinishesWhenTheLastStageFinishes() {
      harness.start("m1", "diamond");
      for (String stage : List.of("extract", "clean", "features", "train")) {
        harness.stage("m1", stage).runs();
      }
      assertThat(harness.mission("m1").status()).isEqualTo(MissionStatus.RUNNING);

      harness.stage("m1", "publish").started().stage("m1", "publish").finished(Map.of("url", "\"gs://x\""));

      assertThat(harness.lastEvents()).containsExactly("StageFinished", "MissionFinished");
      assertThat(harness.mission("m1").status()).isEqualTo(MissionStatus.FINISHED);
      assertThat(harness.mission("m1").stage("publish").orElseThrow().outputs()).containsEntry("url", "\"gs://x\"");
    }

    @Test
    void eventsAreNumberedWithoutGaps() {
      harness.start("m1", "diamond").stage("m1", "extract").runs().stage("m1", "clean").started();

      assertThat(harness.log("m1")).extracting(MissionEvent::getSequence).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L);
    }

  }

  /** A worker reports started only for an attempt that outlasts a short delay; a quick one sends only its outcome. */
  @Nested
  class OutcomeWithoutStartReport {
    @Test
    void aFinishReportOnADispatchedStageIsOneStageFinishedNamingItsWorker() {
      harness.start("m1", "diamond");

      harness.stage("m1", "extract").finished(Map.of("rows", "3"));

      assertThat(harness.lastEvents()).containsExactly("StageFinished", "StageDispatched", "StageDispatched");
      StageFinished finished = (StageFinished) harness.lastEventRecords().get(0).getEvent();
      assertThat(finished.getStage()).isEqualTo("extract");
      assertThat(finished.getAttempt()).isEqualTo(1);
      assertThat(finished.getWorker()).isEqualTo("w-1");
      assertThat(harness.log("m1")).extracting(e -> e.getEvent().getClass().getSimpleName())
          .doesNotContain("StageStarted");
      assertThat(harness.lastEventRecords()).extracting(MissionEvent::getTimestamp).containsOnly(harness.now());
      assertThat(harness.lastEventRecords()).extracting(MissionEvent::getSequence).containsExactly(3L, 4L, 5L);
      StageView extract = harness.mission("m1").stage("extract").orElseThrow();
      assertThat(extract.status()).isEqualTo(FINISHED);
      assertThat(extract.worker()).hasValue("w-1");
      assertThat(extract.outputs()).containsEntry("rows", "3");
    }

    @Test
    void aFailReportOnADispatchedStageIsOneStageFailedNamingItsWorker() {
      harness.start("m1", "diamond");

      harness.stage("m1", "extract").failedForGood("table not found");

      assertThat(harness.lastEvents()).containsExactly("StageFailed", "MissionFailed");
      assertThat(((StageFailed) harness.lastEventRecords().get(0).getEvent()).getWorker()).isEqualTo("w-1");
      assertThat(status("extract")).isEqualTo(FAILED);
      assertThat(harness.mission("m1").stage("extract").orElseThrow().worker()).hasValue("w-1");
    }

    @Test
    void aRetryableFailReportOnADispatchedStageSchedulesTheRetry() {
      plans.apply(TestPlan.named("p").stage("load", "sql").retry(3, 1000));
      harness.start("m1", "p");

      harness.stage("m1", "load").failed("connection reset");

      assertThat(harness.lastEvents()).containsExactly("StageFailed", "StageRetryScheduled");
      assertThat(((StageFailed) harness.lastEventRecords().get(0).getEvent()).getWorker()).isEqualTo("w-1");
      assertThat(harness.timers()).extracting(TimerFired::kind).containsExactly(TimerFired.Kind.RETRY);
    }

    @Test
    void aStartReportIsStillRecordedAsStageStarted() {
      harness.start("m1", "diamond");

      harness.stage("m1", "extract").startedHeartbeating(5_000);

      assertThat(harness.lastEvents()).containsExactly("StageStarted");
      StageStarted started = (StageStarted) harness.lastEventRecords().get(0).getEvent();
      assertThat(started.getWorker()).isEqualTo("w-1");
      assertThat(started.getHeartbeatIntervalMs()).isEqualTo(5_000L);
      assertThat(status("extract")).isEqualTo(RUNNING);
      assertThat(harness.mission("m1").stage("extract").orElseThrow().worker()).hasValue("w-1");
    }

    @Test
    void anOutcomeAfterAStartReportAddsNoSecondStart() {
      harness.start("m1", "diamond").stage("m1", "extract").startedHeartbeating(5_000);

      harness.stage("m1", "extract").finished();

      assertThat(harness.lastEvents()).containsExactly("StageFinished", "StageDispatched", "StageDispatched");
      assertThat(((StageFinished) harness.lastEventRecords().get(0).getEvent()).getWorker())
          .as("the StageStarted named the worker").isNull();
      assertThat(harness.mission("m1").stage("extract").orElseThrow().worker()).hasValue("w-1");
    }

    @Test
    void anOutcomeOnAStageNoLongerActiveIsRejectedWithoutAStart() {
      plans.apply(TestPlan.named("two-roots").stage("a", "sql").stage("c", "sql"));
      harness.start("m1", "two-roots").fail("m1", "a");

      harness.stage("m1", "a").finished();

      assertThat(harness.lastRejection()).isEqualTo(
          "Expected stage 'a' of mission 'm1' to be DISPATCHED or RUNNING to finish it, but it is FAILED");
      assertThat(harness.mission("m1").stage("a").orElseThrow().worker()).isEmpty();
    }
  }

  @Nested
  class Failure {
    @Test
    void aFailedStageBlocksItsDownstreamButNotIndependentBranches() {
      harness.start("m1", "diamond").stage("m1", "extract").runs();

      harness.stage("m1", "features").failed("out of memory");

      assertThat(status("features")).isEqualTo(FAILED);
      assertThat(harness.mission("m1").status()).isEqualTo(MissionStatus.RUNNING);
      harness.stage("m1", "clean").runs();
      assertThat(status("train")).isEqualTo(WAITING);
      assertThat(harness.mission("m1").status()).isEqualTo(MissionStatus.FAILED);
      assertThat(harness.mission("m1").reason()).hasValue(
          "stage 'features' failed on attempt 1: out of memory (not run: train, publish)");
    }

    @Test
    void independentChainsRunToTheirEndAfterAFailure() {
      plans.apply(TestPlan.named("two-chains")
          .stage("a", "sql").stage("b", "sql", "a")
          .stage("c", "sql").stage("d", "sql", "c"));
      harness.start("m1", "two-chains").stage("m1", "a").failed("syntax error");

      harness.stage("m1", "c").runs();
      assertThat(status("d")).isEqualTo(DISPATCHED);
      harness.stage("m1", "d").runs();

      assertThat(status("b")).isEqualTo(WAITING);
      assertThat(harness.lastEvents()).containsExactly("StageFinished", "MissionFailed");
      assertThat(harness.mission("m1").reason()).hasValue("stage 'a' failed on attempt 1: syntax error (not run: b)");
    }

    @Test
    void errorDetailIsKeptOnTheStage() {
      harness.start("m1", "diamond").stage("m1", "extract").failed("table not found");

      assertThat(harness.mission("m1").stage("extract").orElseThrow().error())
          .hasValueSatisfying(e -> assertThat(e.getMessage()).isEqualTo("table not found"));
      assertThat(harness.mission("m1").status()).isEqualTo(MissionStatus.FAILED);
    }
  }

  @Nested
  class Cancel {
    @Test
    void cancellingTellsEveryActiveAttemptToStop() {
      harness.start("m1", "diamond").stage("m1", "extract").runs().stage("m1", "clean").started();

      harness.cancel("m1");

      assertThat(harness.lastEvents()).containsExactly("MissionCancelled");
      assertThat(harness.mission("m1").status()).isEqualTo(MissionStatus.CANCELLED);
      assertThat(harness.mission("m1").reason()).hasValue("not needed today (cancelled by ann)");
      assertThat(harness.lastInstructions())
          .allSatisfy(i -> assertThat(i.getKind()).isEqualTo(InstructionKind.CANCEL))
          .extracting(StageInstruction::getStage)
          .containsExactly("clean", "features");
    }

    @Test
    void reportsAfterCancelAreRecordedAndIgnored() {
      harness.start("m1", "diamond").cancel("m1");

      harness.stage("m1", "extract").finished();

      assertThat(harness.lastRejection())
          .isEqualTo("Expected mission 'm1' to be RUNNING to finish stage 'extract', but it is CANCELLED");
      assertThat(status("extract")).isEqualTo(DISPATCHED);
    }

    @Test
    void anEndedMissionCannotBeCancelled() {
      harness.start("m1", "diamond").stage("m1", "extract").failed("boom");

      harness.cancel("m1");

      assertThat(harness.lastRejection()).isEqualTo("Expected mission 'm1' to be RUNNING or WAITING to cancel it, but it is FAILED");
      assertThat(harness.lastRejectionCode()).isEqualTo(RejectionReason.WRONG_MISSION_STATE);
    }
  }

  @Nested
  class Rejections {
    @Test
    void aReportForAnUnknownMissionIsRejectedWithoutCreatingIt() {
      harness.stage("nope", "extract").finished();

      assertThat(harness.lastRejection()).isEqualTo("Expected mission 'nope' to exist, but it is unknown");
      assertThat(harness.lastRejectionCode()).isEqualTo(RejectionReason.UNKNOWN_MISSION);
      assertThat(harness.lastEventRecords().get(0).getSequence()).isZero();
      assertThat(harness.exists("nope")).isFalse();
    }

    @Test
    void cancellingAnUnknownMissionIsRejected() {
      harness.cancel("ghost");

      assertThat(harness.lastRejection()).isEqualTo("Expected mission 'ghost' to exist, but it is unknown");
    }

    @Test
    void aReportForAnUnknownStageIsRejected() {
      harness.start("m1", "diamond").stage("m1", "lod").attempt(1).finished();

      assertThat(harness.lastRejection())
          .isEqualTo("Expected mission 'm1' of plan 'diamond' to have stage 'lod', but it has none");
      assertThat(harness.lastRejectionCode()).isEqualTo(RejectionReason.UNKNOWN_STAGE);
    }

    @Test
    void aReportOnAStaleAttemptIsRecordedAndIgnored() {
      harness.start("m1", "diamond").stage("m1", "extract").attempt(0).failed("late");

      assertThat(harness.lastRejection())
          .isEqualTo("Expected a report on attempt 1 of stage 'extract', but it is on attempt 0");
      assertThat(harness.lastRejectionCode()).isEqualTo(RejectionReason.STALE_ATTEMPT);
      assertThat(harness.lastEventRecords().get(0).getSequence()).isEqualTo(3L);
      assertThat(status("extract")).isEqualTo(DISPATCHED);
    }

    @Test
    void aStageCannotFinishTwice() {
      harness.start("m1", "diamond").stage("m1", "extract").runs();

      harness.stage("m1", "extract").finished();

      assertThat(harness.lastRejection()).isEqualTo(
          "Expected stage 'extract' of mission 'm1' to be DISPATCHED or RUNNING to finish it, but it is FINISHED");
      assertThat(harness.lastRejectionCode()).isEqualTo(RejectionReason.WRONG_STAGE_STATE);
    }

    /** The worker sends its started report again after a delivery that timed out but was written. */
    @Test
    void aStartReportRepeatedByTheAttemptsWorkerIsNotRecorded() {
      harness.start("m1", "diamond").stage("m1", "extract").started();

      harness.stage("m1", "extract").started();

      assertThat(harness.lastEvents()).isEmpty();
      assertThat(status("extract")).isEqualTo(RUNNING);
    }

    @Test
    void aStartReportRepeatedAfterTheAttemptFinishedIsNotRecorded() {
      harness.start("m1", "diamond").stage("m1", "extract").started().stage("m1", "extract").finished();

      harness.stage("m1", "extract").started();

      assertThat(harness.lastEvents()).isEmpty();
    }

    @Test
    void aStartOfARunningAttemptByAnotherWorkerIsRejected() {
      harness.start("m1", "diamond").stage("m1", "extract").started();

      harness.stage("m1", "extract").byWorker("w-2").started();

      assertThat(harness.lastRejection())
          .isEqualTo("Expected stage 'extract' of mission 'm1' to be DISPATCHED to start it, but it is RUNNING");
      assertThat(status("extract")).isEqualTo(RUNNING);
    }

    @Test
    void aMissionIdStartedOnAnotherPlanIsRejected() {
      plans.apply(TestPlan.named("other").stage("a", "warehouse"));
      harness.start("m1", "diamond").start("m1", "other");

      assertThat(harness.lastRejection())
          .startsWith("Expected mission 'm1' to be new or of plan 'other', but it is RUNNING on plan 'diamond'");
      assertThat(harness.lastRejectionCode()).isEqualTo(RejectionReason.DUPLICATE_MISSION);
    }

    @Test
    void anUnknownPlanIsRejected() {
      harness.start("m1", "nightly");

      assertThat(harness.lastRejection()).isEqualTo("Expected plan 'nightly' to be applied, but it is unknown");
      assertThat(harness.exists("m1")).isFalse();
    }
  }

  @Nested
  class Params {
    @Test
    void inputsAreFilledIntoStageParamsWithDefaults() {
      plans.apply(TestPlan.named("scoring")
          .param("date", null)
          .param("limit", "1000")
          .stage("score", "ml", Map.of(
              "query", "\"select * from t where d = '${params.date}'\"",
              "limit", "\"${params.limit}\"",
              "nested", "{\"tags\":[\"${params.date}\",1]}")));

      harness.start("m1", "scoring", Map.of("date", "\"2026-11-22\""), List.of());

      assertThat(harness.lastInstructions()).singleElement().extracting(StageInstruction::getParams).isEqualTo(Map.of(
          "query", "\"select * from t where d = '2026-11-22'\"",
          "limit", "1000",
          "nested", "{\"tags\":[\"2026-11-22\",1]}"));
      assertThat(harness.mission("m1").params()).containsEntry("limit", "1000");
    }

    @Test
    void dollarDollarBraceReachesTheWorkerAsALiteralDollarBraceAndUnknownReferencesStayAsWritten() {
      plans.apply(TestPlan.named("shell")
          .param("date", "\"2026-11-22\"")
          .stage("run", "shell", Map.of(
              "script", "\"echo $${HOME} $${params.date} $$${params.date} ${params.date}\"",
              "stored_before_refused", "\"${HOME}\"")));

      harness.start("m1", "shell");

      assertThat(harness.lastInstructions()).singleElement().extracting(StageInstruction::getParams).isEqualTo(Map.of(
          "script", "\"echo ${HOME} ${params.date} $${params.date} 2026-11-22\"",
          "stored_before_refused", "\"${HOME}\""));
    }

    @Test
    void aMissingRequiredOrUndeclaredInputIsRejected() {
      plans.apply(TestPlan.named("scoring").param("date", null).stage("score", "ml"));

      harness.start("m1", "scoring", Map.of("dat", "\"x\""), List.of());

      assertThat(harness.lastRejection()).isEqualTo("Expected params that plan 'scoring' accepts, but param 'date' is "
          + "required; param 'dat' is not declared (declared: date)");
    }

    @Test
    void anInputWithTextAfterItsFirstJsonValueIsRejectedNotCutShort() {
      plans.apply(TestPlan.named("scoring").param("note", null).stage("score", "ml"));

      harness.start("m1", "scoring", Map.of("note", "2 cats"), List.of());

      assertThat(harness.lastRejection()).isEqualTo("Expected params that plan 'scoring' accepts, but param 'note' is "
          + "not JSON text: 2 cats");
    }
  }

  @Nested
  class Exclusion {
    @Test
    void excludedStagesAndTheirDownstreamDoNotRun() {
      harness.start("m1", "diamond", Map.of(), List.of("features"));

      assertThat(status("features")).isEqualTo(EXCLUDED);
      assertThat(status("train")).isEqualTo(EXCLUDED);
      assertThat(status("publish")).isEqualTo(EXCLUDED);
      harness.stage("m1", "extract").runs().stage("m1", "clean").runs();
      assertThat(harness.mission("m1").status()).isEqualTo(MissionStatus.FINISHED);
    }

    @Test
    void excludingEveryRootFinishesAtOnce() {
      harness.start("m1", "diamond", Map.of(), List.of("extract"));

      assertThat(harness.mission("m1").status()).isEqualTo(MissionStatus.FINISHED);
      assertThat(harness.lastInstructions()).isEmpty();
    }

    @Test
    void excludingAnUnknownStageIsRejected() {
      harness.start("m1", "diamond", Map.of(), List.of("featurs"));

      assertThat(harness.lastRejection())
          .isEqualTo("Expected stages to exclude from plan 'diamond', but it has no stage featurs");
    }
  }

  @Test
  void aRunningMissionKeepsThePlanVersionItStartedWith() {
    harness.start("m1", "diamond");
    plans.apply(TestPlan.named("diamond").version("v2").stage("extract", "warehouse"));

    harness.stage("m1", "extract").runs();

    assertThat(harness.mission("m1").planVersion()).isEqualTo("v1");
    assertThat(status("clean")).isEqualTo(DISPATCHED);
  }
}
