package io.groundcontrol.mission;

import static io.groundcontrol.schema.StageStatus.AWAITING_RETRY;
import static io.groundcontrol.schema.StageStatus.DISPATCHED;
import static io.groundcontrol.schema.StageStatus.FAILED;
import static io.groundcontrol.schema.StageStatus.FINISHED;
import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.schema.InstructionKind;
import io.groundcontrol.schema.MissionStatus;
import io.groundcontrol.schema.RetryPolicy;
import io.groundcontrol.schema.StageFailed;
import io.groundcontrol.schema.StageInstruction;
import io.groundcontrol.schema.StageRetryScheduled;
import io.groundcontrol.schema.StageStarted;
import io.groundcontrol.schema.StageStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class FailurePolicyTest {
  private final InMemoryPlans plans = new InMemoryPlans();
  private final MissionHarness harness = new MissionHarness(plans);

  private StageStatus status(String stage) {
    return harness.mission("m1").stage(stage).orElseThrow().status();
  }

  private <T> T lastEventOf(Class<T> type) {
    return harness.lastEventRecords().stream().map(e -> e.getEvent()).filter(type::isInstance).map(type::cast)
        .reduce((a, b) -> b).orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " in " + harness.lastEvents()));
  }

  @Nested
  class Retries {
    @Test
    void aRetryableFailureSchedulesTheNextAttemptAfterTheBackoff() {
      plans.apply(TestPlan.named("p").stage("load", "sql").retry(3, 1000));
      harness.start("m1", "p").stage("m1", "load").failed("connection reset");

      assertThat(harness.lastEvents()).containsExactly("StageFailed", "StageRetryScheduled");
      assertThat(status("load")).isEqualTo(AWAITING_RETRY);
      assertThat(lastEventOf(StageRetryScheduled.class).getDueAt()).isEqualTo(harness.now().plusMillis(1000));
      assertThat(harness.mission("m1").status()).isEqualTo(MissionStatus.RUNNING);
      assertThat(harness.lastInstructions()).isEmpty();
    }

    @Test
    void theRetryTimerDispatchesTheNextAttempt() {
      plans.apply(TestPlan.named("p").stage("load", "sql").retry(3, 1000));
      harness.start("m1", "p").stage("m1", "load").failed("connection reset");

      harness.fire("m1", "load", TimerFired.Kind.RETRY);

      assertThat(status("load")).isEqualTo(DISPATCHED);
      assertThat(harness.lastInstructions()).singleElement().extracting(StageInstruction::getAttempt).isEqualTo(2);
      assertThat(harness.lastEventRecords().get(0).getCause().getKind().name()).isEqualTo("TIMER");
    }

    @Test
    void backoffGrowsByTheMultiplierUntilAttemptsRunOut() {
      plans.apply(TestPlan.named("p").stage("load", "sql").retry(3, 1000));
      harness.start("m1", "p").stage("m1", "load").failed("reset").fire("m1", "load", TimerFired.Kind.RETRY);

      harness.stage("m1", "load").failed("reset again");
      assertThat(lastEventOf(StageRetryScheduled.class).getDueAt()).isEqualTo(harness.now().plusMillis(2000));
      harness.fire("m1", "load", TimerFired.Kind.RETRY).stage("m1", "load").failed("reset a third time");

      assertThat(harness.lastEvents()).containsExactly("StageFailed", "MissionFailed");
      assertThat(harness.mission("m1").reason()).hasValue("stage 'load' failed on attempt 3: reset a third time");
    }

    @Test
    void aNonRetryableFailureIsNotRetried() {
      plans.apply(TestPlan.named("p").stage("load", "sql").retry(5, 1000));
      harness.start("m1", "p").stage("m1", "load").failedForGood("syntax error near 'selct'");

      assertThat(harness.lastEvents()).containsExactly("StageFailed", "MissionFailed");
      assertThat(status("load")).isEqualTo(FAILED);
    }

    @Test
    void anOutputThatIsNotJsonTextFailsTheAttemptForGoodSayingWhich() {
      plans.apply(TestPlan.named("p").stage("load", "sql").retry(5, 1000));

      harness.start("m1", "p").stage("m1", "load").finished(Map.of("rows", "42", "greeting", "hello world"));

      assertThat(harness.lastEvents()).containsExactly("StageFailed", "MissionFailed");
      StageFailed failed = lastEventOf(StageFailed.class);
      assertThat(failed.getError().getRetryable()).isFalse();
      assertThat(failed.getError().getMessage()).startsWith(
          "Expected output 'greeting' to be JSON text, but 'hello world' is not: Unrecognized token 'hello'");
    }

    @Test
    void aReportOnTheFailedAttemptIsStaleOnceTheNextIsDispatched() {
      plans.apply(TestPlan.named("p").stage("load", "sql").retry(3, 1000));
      harness.start("m1", "p").stage("m1", "load").failed("reset").fire("m1", "load", TimerFired.Kind.RETRY);

      harness.stage("m1", "load").attempt(1).finished();

      assertThat(harness.lastRejection()).isEqualTo("Expected a report on attempt 2 of stage 'load', but it is on attempt 1");
    }

    @Test
    void thePlanDefaultAppliesToStagesWithoutTheirOwnPolicy() {
      plans.apply(TestPlan.named("p").defaults(new RetryPolicy(2, 500L, 2.0, 60_000L, 0.0), null).stage("load", "sql"));

      harness.start("m1", "p").stage("m1", "load").failed("reset");

      assertThat(lastEventOf(StageRetryScheduled.class).getDueAt()).isEqualTo(harness.now().plusMillis(500));
    }

    @Test
    void aRetryTimerThatNoLongerAppliesChangesNothing() {
      plans.apply(TestPlan.named("p").stage("load", "sql").retry(3, 1000));
      harness.start("m1", "p").stage("m1", "load").failed("reset").skip("m1", "load");

      harness.fire("m1", "load", TimerFired.Kind.RETRY);

      assertThat(harness.lastEvents()).isEmpty();
    }

    @Test
    void jitterSpreadsDelaysWithinItsBoundsAndIsTheSameEveryTime() {
      RetryPolicy policy = new RetryPolicy(10, 1000L, 2.0, 5000L, 0.2);
      for (int attempt = 1; attempt < 6; attempt++) {
        Duration delay = Backoff.before(policy, attempt, "m-" + attempt, "load");
        double base = Math.min(1000 * Math.pow(2, attempt - 1), 5000);
        assertThat(delay.toMillis()).isBetween(Math.round(base * 0.8), Math.round(base * 1.2));
        assertThat(Backoff.before(policy, attempt, "m-" + attempt, "load")).isEqualTo(delay);
      }
    }
  }

  @Nested
  class Timeouts {
    @Test
    void anAttemptPastItsTimeoutIsFailedRetriedAndToldToStop() {
      plans.apply(TestPlan.named("p").stage("train", "ml").timeout(30_000).retry(2, 1000));
      harness.start("m1", "p");
      assertThat(harness.timers()).as("no timeout while no worker has started it").isEmpty();
      assertThat(harness.lastInstructions()).singleElement().extracting(StageInstruction::getTimeoutMs).isEqualTo(30_000L);
      harness.stage("m1", "train").started();
      assertThat(harness.timers()).singleElement().satisfies(t -> {
        assertThat(t.kind()).isEqualTo(TimerFired.Kind.TIMEOUT);
        assertThat(t.dueAt()).isEqualTo(harness.now().plusSeconds(30));
      });

      harness.fire("m1", "train", TimerFired.Kind.TIMEOUT);

      assertThat(harness.lastEvents()).containsExactly("StageFailed", "StageRetryScheduled");
      assertThat(lastEventOf(StageFailed.class).getError().getMessage()).isEqualTo("timed out after 30s (attempt 1)");
      assertThat(harness.lastInstructions()).singleElement().satisfies(i -> {
        assertThat(i.getKind()).isEqualTo(InstructionKind.CANCEL);
        assertThat(i.getAttempt()).isEqualTo(1);
      });
    }

    @Test
    void theTimeoutCountsFromWhenTheWorkerSaysItStartedButNotFromBeforeTheDispatch() {
      plans.apply(TestPlan.named("p").stage("train", "ml").timeout(30_000));
      harness.start("m1", "p");
      Instant dispatchedAt = harness.now();
      harness.stage("m1", "train").startedAt(dispatchedAt.minusSeconds(60));

      assertThat(harness.timers()).singleElement().extracting(TimerFired::dueAt).isEqualTo(dispatchedAt.plusSeconds(30));
      assertThat(lastEventOf(StageStarted.class).getStartedAt()).isEqualTo(dispatchedAt);
    }

    @Test
    void aStartClaimedAfterItsReportCountsFromTheReport() {
      plans.apply(TestPlan.named("p").stage("train", "ml").timeout(30_000));
      harness.start("m1", "p");
      harness.stage("m1", "train").startedAt(harness.now().plusSeconds(3600));

      assertThat(harness.timers()).singleElement().extracting(TimerFired::dueAt).isEqualTo(harness.now().plusSeconds(30));
    }

    @Test
    void anOutcomeWithNoStartedReportSetsNoTimeout() {
      plans.apply(TestPlan.named("p").stage("train", "ml").timeout(30_000));
      harness.start("m1", "p").stage("m1", "train").finished();

      assertThat(harness.timers()).isEmpty();
      assertThat(harness.mission("m1").status()).isEqualTo(MissionStatus.FINISHED);
    }

    @Test
    void aStartTimeoutIsSetAtDispatchAndFailsAnUnstartedAttemptForGood() {
      plans.apply(TestPlan.named("p").stage("train", "ml").retry(3, 1000).startTimeout(60_000));
      harness.start("m1", "p");
      assertThat(harness.timers()).singleElement().satisfies(t -> {
        assertThat(t.kind()).isEqualTo(TimerFired.Kind.START_TIMEOUT);
        assertThat(t.dueAt()).isEqualTo(harness.now().plusSeconds(60));
      });

      harness.fire("m1", "train", TimerFired.Kind.START_TIMEOUT);

      assertThat(harness.lastEvents()).containsExactly("StageFailed", "MissionFailed");
      assertThat(lastEventOf(StageFailed.class).getError().getMessage())
          .isEqualTo("no worker of 'ml' started the stage within 1m of its dispatch (attempt 1)");
      assertThat(harness.lastInstructions()).singleElement().extracting(StageInstruction::getKind)
          .isEqualTo(InstructionKind.CANCEL);
    }

    @Test
    void aStartTimeoutOfAnAttemptThatFinishedWithoutAStartReportChangesNothing() {
      plans.apply(TestPlan.named("p").stage("train", "ml").startTimeout(60_000).stage("report", "mail", "train"));
      harness.start("m1", "p").stage("m1", "train").finished();
      assertThat(harness.lastEvents()).containsExactly("StageFinished", "StageDispatched");

      harness.fire("m1", "train", TimerFired.Kind.START_TIMEOUT);

      assertThat(harness.lastEvents()).isEmpty();
      assertThat(status("train")).isEqualTo(FINISHED);
      assertThat(harness.mission("m1").status()).isEqualTo(MissionStatus.RUNNING);
    }

    @Test
    void aStartTimeoutOfAnAttemptThatFailedWithoutAStartReportChangesNothing() {
      plans.apply(TestPlan.named("p").stage("train", "ml").retry(3, 1000).startTimeout(60_000));
      harness.start("m1", "p").stage("m1", "train").failed("connection reset");
      assertThat(harness.lastEvents()).containsExactly("StageFailed", "StageRetryScheduled");
      assertThat(lastEventOf(StageFailed.class).getWorker()).isEqualTo("w-1");

      harness.fire("m1", "train", TimerFired.Kind.START_TIMEOUT);

      assertThat(harness.lastEvents()).isEmpty();
      assertThat(status("train")).isEqualTo(AWAITING_RETRY);
    }

    @Test
    void aStartTimeoutOfAStartedAttemptChangesNothing() {
      plans.apply(TestPlan.named("p").stage("train", "ml").startTimeout(60_000));
      harness.start("m1", "p").stage("m1", "train").started();

      harness.fire("m1", "train", TimerFired.Kind.START_TIMEOUT);

      assertThat(harness.lastEvents()).isEmpty();
    }

    @Test
    void aTimeoutAfterTheAttemptFinishedChangesNothing() {
      plans.apply(TestPlan.named("p").stage("train", "ml").timeout(30_000));
      harness.start("m1", "p").stage("m1", "train").runs();

      harness.fire("m1", "train", TimerFired.Kind.TIMEOUT);

      assertThat(harness.lastEvents()).isEmpty();
      assertThat(harness.mission("m1").status()).isEqualTo(MissionStatus.FINISHED);
    }
  }

  @Nested
  class LostWorkers {
    @Test
    void aStartWithAHeartbeatIntervalSetsALivenessTimerOfThreeIntervals() {
      plans.apply(TestPlan.named("p").stage("train", "ml"));
      harness.start("m1", "p").stage("m1", "train").startedHeartbeating(5000);

      assertThat(harness.timers()).singleElement().satisfies(t -> {
        assertThat(t.kind()).isEqualTo(TimerFired.Kind.LIVENESS);
        assertThat(t.dueAt()).isEqualTo(harness.now().plusSeconds(15));
      });
    }

    @Test
    void aLapsedLivenessTimerFailsTheAttemptAsWorkerLostAndRetries() {
      plans.apply(TestPlan.named("p").stage("train", "ml").retry(2, 1000));
      harness.start("m1", "p").stage("m1", "train").startedHeartbeating(5000);

      harness.fire("m1", "train", TimerFired.Kind.LIVENESS);

      assertThat(lastEventOf(StageFailed.class).getError().getMessage())
          .isEqualTo("worker lost: no heartbeat from worker 'w-1' (attempt 1)");
      assertThat(status("train")).isEqualTo(AWAITING_RETRY);
      harness.fire("m1", "train", TimerFired.Kind.RETRY).stage("m1", "train").runs();
      assertThat(status("train")).isEqualTo(FINISHED);
    }
  }
}
