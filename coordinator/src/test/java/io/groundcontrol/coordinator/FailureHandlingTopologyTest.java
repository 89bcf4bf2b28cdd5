package io.groundcontrol.coordinator;

import static io.groundcontrol.coordinator.CoordinatorDriver.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.mission.TestPlan;
import io.groundcontrol.schema.InputRejected;
import io.groundcontrol.schema.InstructionKind;
import io.groundcontrol.schema.MissionEvent;
import io.groundcontrol.schema.MissionStatus;
import io.groundcontrol.schema.ReportFailed;
import io.groundcontrol.schema.ReportFinished;
import io.groundcontrol.schema.ReportHeartbeat;
import io.groundcontrol.schema.ReportStarted;
import io.groundcontrol.schema.RetryStage;
import io.groundcontrol.schema.SkipStage;
import io.groundcontrol.schema.StageError;
import io.groundcontrol.schema.StageFailed;
import io.groundcontrol.schema.StageInstruction;
import io.groundcontrol.schema.StageStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.TestOutputTopic;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Retries, timeouts and lost workers through the real topology, timers driven by the wall clock. */
class FailureHandlingTopologyTest {
  @TempDir Path stateDir;

  private CoordinatorDriver coordinator;
  private TestOutputTopic<String, StageInstruction> sql;

  private void given(TestPlan plan) {
    coordinator = new CoordinatorDriver(stateDir);
    sql = coordinator.instructions("sql");
    coordinator.apply(plan.build());
  }

  @AfterEach
  void tearDown() {
    coordinator.close();
  }

  private static ReportFailed failure(String message, boolean retryable) {
    return new ReportFailed(new StageError(message, null, retryable));
  }

  private String lastFailureMessage() {
    return coordinator.events.readValuesToList().stream().map(MissionEvent::getEvent).filter(StageFailed.class::isInstance)
        .map(e -> ((StageFailed) e).getError().getMessage()).reduce((a, b) -> b).orElseThrow();
  }

  @Test
  void aRetryIsDispatchedWhenTheBackoffIsOverNotBefore() {
    given(TestPlan.named("p").stage("load", "sql").retry(3, 2000));
    coordinator.start("m1", "p", T0);
    coordinator.advanceWallClock(Duration.ofSeconds(1));
    coordinator.report("m1", "load", 1, failure("connection reset", true), T0.plusSeconds(1));
    assertThat(sql.readValuesToList()).extracting(StageInstruction::getAttempt).containsExactly(1);

    coordinator.advanceWallClock(Duration.ofMillis(1900));
    assertThat(sql.isEmpty()).as("nothing dispatched before the backoff ends").isTrue();

    coordinator.advanceWallClock(Duration.ofMillis(200));
    StageInstruction retry = sql.readValue();
    assertThat(retry.getAttempt()).isEqualTo(2);
    assertThat(retry.getDispatchedAt()).isBetween(T0.plusSeconds(3), T0.plusMillis(3200));
  }

  /** Stage {@code load}, with 2 attempts, fails transiently on both. */
  private void loadFailsBothAttempts() {
    given(TestPlan.named("p").stage("load", "sql").retry(2, 1000));
    coordinator.start("m1", "p", T0);
    coordinator.report("m1", "load", 1, failure("reset", true), T0);
    coordinator.advanceWallClock(Duration.ofMillis(1100));
    coordinator.report("m1", "load", 2, failure("reset again", true), T0.plusSeconds(2));
  }

  @Test
  void retriesStopWhenAttemptsRunOut() {
    loadFailsBothAttempts();

    assertThat(coordinator.stored("m1").getStatus()).isEqualTo(MissionStatus.FAILED);
    assertThat(coordinator.stored("m1").getReason()).isEqualTo("stage 'load' failed on attempt 2: reset again");
  }

  @Test
  void aStageRetriedByCommandAfterItsRetriesRanOutIsRetriedByPolicyAgainFromItsStoredState() {
    loadFailsBothAttempts();
    coordinator.command("m1", new RetryStage("load", false), T0.plusSeconds(3));

    coordinator.report("m1", "load", 3, failure("reset once more", true), T0.plusSeconds(4));

    assertThat(coordinator.storedStage("m1", "load").getStatus()).isEqualTo(StageStatus.AWAITING_RETRY);
    assertThat(coordinator.storedStage("m1", "load").getRetryBase()).isEqualTo(2);
    coordinator.advanceWallClock(Duration.ofSeconds(5));
    assertThat(sql.readValuesToList()).extracting(StageInstruction::getAttempt).containsExactly(1, 2, 3, 4);
  }

  @Test
  void aNonRetryableFailureEndsTheStageAtOnce() {
    given(TestPlan.named("p").stage("load", "sql").retry(5, 1000));
    coordinator.start("m1", "p", T0);

    coordinator.report("m1", "load", 1, failure("syntax error", false), T0);
    coordinator.advanceWallClock(Duration.ofSeconds(10));

    assertThat(sql.readValuesToList()).hasSize(1);
    assertThat(coordinator.stored("m1").getStatus()).isEqualTo(MissionStatus.FAILED);
  }

  @Test
  void aStaleReportIsRecordedAndIgnored() {
    given(TestPlan.named("p").stage("load", "sql").retry(3, 1000));
    coordinator.start("m1", "p", T0);
    coordinator.report("m1", "load", 1, failure("reset", true), T0);
    coordinator.advanceWallClock(Duration.ofMillis(1100));
    coordinator.newEventKinds();

    coordinator.report("m1", "load", 1, new ReportFinished(Map.of()), T0.plusSeconds(2));

    MissionEvent event = coordinator.events.readValue();
    assertThat(((InputRejected) event.getEvent()).getReason())
        .isEqualTo("Expected a report on attempt 2 of stage 'load', but it is on attempt 1");
    assertThat(coordinator.stored("m1").getStages().get(0).getStatus()).isEqualTo(StageStatus.DISPATCHED);
  }

  @Test
  void anAttemptPastItsTimeoutIsFailedAndItsWorkerToldToStop() {
    given(TestPlan.named("p").stage("load", "sql").timeout(5000));
    coordinator.start("m1", "p", T0);
    coordinator.advanceWallClock(Duration.ofSeconds(1));
    coordinator.report("m1", "load", 1, new ReportStarted(null, null), T0.plusSeconds(1));
    sql.readValuesToList();

    coordinator.advanceWallClock(Duration.ofMillis(4900));
    assertThat(coordinator.stored("m1").getStatus()).as("5 s from the start at 1 s, not from the dispatch")
        .isEqualTo(MissionStatus.RUNNING);
    coordinator.advanceWallClock(Duration.ofMillis(200));

    assertThat(lastFailureMessage()).isEqualTo("timed out after 5s (attempt 1)");
    assertThat(sql.readValue().getKind()).isEqualTo(InstructionKind.CANCEL);
    assertThat(coordinator.stored("m1").getStatus()).isEqualTo(MissionStatus.FAILED);
  }

  /** 99999 days from 2026 is after 2286, when due times need a 14th digit. */
  @Test
  void aPracticallyEndlessTimeoutOf99999DaysDoesNotFireAtOnce() {
    given(TestPlan.named("p").stage("load", "sql").timeout(Duration.ofDays(99_999).toMillis()));
    coordinator.start("m1", "p", T0);
    coordinator.report("m1", "load", 1, new ReportStarted(null, null), T0.plusMillis(5));

    coordinator.advanceWallClock(Duration.ofSeconds(2));

    assertThat(coordinator.newEventKinds()).containsExactly("MissionStarted", "StageDispatched", "StageStarted");
    assertThat(coordinator.storedStage("m1", "load").getStatus()).isEqualTo(StageStatus.RUNNING);
  }

  @Test
  void aStartingTaskWritesARestartBarrierToItsPartitionOfEachInput() {
    given(TestPlan.named("p").stage("load", "sql"));
    TestOutputTopic<String, byte[]> commandsTopic = coordinator.driver.createOutputTopic(
        coordinator.topics.commands().name(), new StringDeserializer(), new ByteArrayDeserializer());
    TestOutputTopic<String, byte[]> reportsTopic = coordinator.driver.createOutputTopic(
        coordinator.topics.reports().name(), new StringDeserializer(), new ByteArrayDeserializer());

    coordinator.advanceWallClock(Duration.ofMillis(100));
    coordinator.advanceWallClock(Duration.ofMillis(100));

    for (TestOutputTopic<String, byte[]> input : List.of(commandsTopic, reportsTopic)) {
      assertThat(input.readRecordsToList()).singleElement().satisfies(record -> {
        assertThat(record.value()).isNull();
        assertThat(record.headers().lastHeader(RestartBarrier.HEADER).value()).asString().isEqualTo(record.key());
      });
    }
  }

  @Test
  void theTimeoutCountsFromWhenTheWorkerStartedNotFromItsDelayedReport() {
    given(TestPlan.named("p").stage("load", "sql").timeout(5000));
    coordinator.start("m1", "p", T0);
    coordinator.advanceWallClock(Duration.ofSeconds(3));
    coordinator.report("m1", "load", 1, new ReportStarted(null, T0.plusSeconds(1)), T0.plusSeconds(3));

    coordinator.advanceWallClock(Duration.ofMillis(2900));
    assertThat(coordinator.stored("m1").getStatus()).isEqualTo(MissionStatus.RUNNING);
    coordinator.advanceWallClock(Duration.ofMillis(200));

    assertThat(lastFailureMessage()).isEqualTo("timed out after 5s (attempt 1)");
  }

  @Test
  void timeWaitingForAWorkerDoesNotCountTowardsTheTimeout() {
    given(TestPlan.named("p").stage("load", "sql").timeout(5000));
    coordinator.start("m1", "p", T0);

    coordinator.advanceWallClock(Duration.ofSeconds(60));
    assertThat(coordinator.storedStage("m1", "load").getStatus()).isEqualTo(StageStatus.DISPATCHED);
    coordinator.report("m1", "load", 1, new ReportStarted(null, T0.plusSeconds(60)), T0.plusSeconds(60));
    coordinator.report("m1", "load", 1, new ReportFinished(Map.of()), T0.plusSeconds(64));

    assertThat(coordinator.stored("m1").getStatus()).isEqualTo(MissionStatus.FINISHED);
  }

  @Test
  void anAttemptNoWorkerStartsWithinItsStartTimeoutFailsWithoutRetry() {
    given(TestPlan.named("p").stage("train", "ml").retry(3, 100).startTimeout(30_000));
    coordinator.start("m1", "p", T0);

    coordinator.advanceWallClock(Duration.ofMillis(29_900));
    assertThat(coordinator.storedStage("m1", "train").getStatus()).isEqualTo(StageStatus.DISPATCHED);
    coordinator.advanceWallClock(Duration.ofMillis(200));

    assertThat(lastFailureMessage())
        .isEqualTo("no worker of 'ml' started the stage within 30s of its dispatch (attempt 1)");
    assertThat(coordinator.stored("m1").getStatus()).isEqualTo(MissionStatus.FAILED);
  }

  /**
   * A coordinator that reads a finish report late (it was down, restarting or behind) writes the
   * next stage's RUN now: that stage's start timeout counts from now, not from when the report was
   * written, or the stage would fail while its RUN is still new.
   */
  @Test
  void aStartTimeoutCountsFromWhenTheRunIsWrittenNotFromTheReportThatCausedIt() {
    given(TestPlan.named("p").stage("extract", "sql").stage("train", "ml", "extract").retry(3, 100)
        .startTimeout(30_000));
    TestOutputTopic<String, StageInstruction> ml = coordinator.instructions("ml");
    coordinator.start("m1", "p", T0);
    coordinator.advanceWallClock(Duration.ofSeconds(60));

    coordinator.report("m1", "extract", 1, new ReportFinished(Map.of()), T0.plusSeconds(1));
    assertThat(ml.readValuesToList()).as("train's RUN, written at T0 + 60 s").hasSize(1);
    coordinator.advanceWallClock(Duration.ofMillis(29_900));
    assertThat(coordinator.storedStage("m1", "train").getStatus()).isEqualTo(StageStatus.DISPATCHED);
    coordinator.advanceWallClock(Duration.ofMillis(200));

    assertThat(lastFailureMessage())
        .isEqualTo("no worker of 'ml' started the stage within 30s of its dispatch (attempt 1)");
  }

  @Test
  void aStartedAttemptIsNotFailedByItsStartTimeout() {
    given(TestPlan.named("p").stage("train", "ml").startTimeout(1_000));
    coordinator.start("m1", "p", T0);
    coordinator.report("m1", "train", 1, new ReportStarted(null, T0.plusMillis(500)), T0.plusMillis(600));

    coordinator.advanceWallClock(Duration.ofSeconds(10));

    assertThat(coordinator.storedStage("m1", "train").getStatus()).isEqualTo(StageStatus.RUNNING);
  }

  @Test
  void heartbeatsKeepAnAttemptAliveAndTheirAbsenceFailsItAsWorkerLost() {
    given(TestPlan.named("p").stage("load", "sql").retry(2, 1000));
    coordinator.start("m1", "p", T0);
    coordinator.report("m1", "load", 1, new ReportStarted(1000L, null), T0);
    coordinator.advanceWallClock(Duration.ofMillis(2500));
    coordinator.report("m1", "load", 1, new ReportHeartbeat(1000L), T0.plusMillis(2500));

    coordinator.advanceWallClock(Duration.ofMillis(2500));
    assertThat(coordinator.stored("m1").getStages().get(0).getStatus())
        .as("alive: the last heartbeat, read at 2.5 s, carries it to 5.5 s").isEqualTo(StageStatus.RUNNING);

    coordinator.advanceWallClock(Duration.ofMillis(700));
    assertThat(lastFailureMessage()).isEqualTo("worker lost: no heartbeat from worker 'w-1' (attempt 1)");
    assertThat(coordinator.stored("m1").getStages().get(0).getStatus()).isEqualTo(StageStatus.AWAITING_RETRY);
    assertThat(sql.readValuesToList()).extracting(StageInstruction::getKind)
        .containsExactly(InstructionKind.RUN, InstructionKind.CANCEL);
  }

  /**
   * Heartbeats count when the coordinator reads them, not at the time the worker's clock stamped
   * them: a worker whose clock runs behind the coordinator's (here 5 s, past 3 intervals) and
   * heartbeats every second is alive.
   */
  @Test
  void aWorkerWhoseClockRunsBehindIsNotLostWhileItHeartbeats() {
    Instant workerClock = T0.minusSeconds(5);
    startedByAWorkerWithItsOwnClock(workerClock);

    for (int second = 1; second <= 6; second++) {
      coordinator.advanceWallClock(Duration.ofSeconds(1));
      workerClock = workerClock.plusSeconds(1);
      coordinator.report("m1", "load", 1, new ReportHeartbeat(1000L), workerClock);
    }

    assertThat(coordinator.events.readValuesToList()).extracting(MissionEvent::getEvent)
        .noneMatch(StageFailed.class::isInstance);
    assertThat(coordinator.storedStage("m1", "load").getStatus()).isEqualTo(StageStatus.RUNNING);
  }

  /**
   * The liveness watch starts when the coordinator reads the started report, not at the time the
   * worker's clock stamped it: a worker whose clock runs a minute ahead and then goes silent is lost
   * 3 intervals later on the coordinator's clock, not a minute later.
   */
  @Test
  void aWorkerWhoseClockRunsAheadIsLostThreeSilentIntervalsAfterItStartedOnTheCoordinatorsClock() {
    startedByAWorkerWithItsOwnClock(T0.plusSeconds(60));

    coordinator.advanceWallClock(Duration.ofMillis(2900));
    assertThat(coordinator.storedStage("m1", "load").getStatus()).isEqualTo(StageStatus.RUNNING);
    coordinator.advanceWallClock(Duration.ofMillis(300));

    assertThat(coordinator.storedStage("m1", "load").getStatus()).isEqualTo(StageStatus.AWAITING_RETRY);
    assertThat(lastFailureMessage()).isEqualTo("worker lost: no heartbeat from worker 'w-1' (attempt 1)");
  }

  /** Stage 'load' of m1, started at T0 on the coordinator's clock by a worker that heartbeats every second. */
  private void startedByAWorkerWithItsOwnClock(Instant workerClock) {
    given(TestPlan.named("p").stage("load", "sql").retry(2, 1000));
    coordinator.start("m1", "p", T0);
    coordinator.report("m1", "load", 1, new ReportStarted(1000L, workerClock), workerClock);
  }

  @Test
  void heartbeatsWriteNothingToTheAuditLog() {
    given(TestPlan.named("p").stage("load", "sql"));
    coordinator.start("m1", "p", T0);
    coordinator.report("m1", "load", 1, new ReportStarted(1000L, null), T0);
    coordinator.newEventKinds();

    coordinator.report("m1", "load", 1, new ReportHeartbeat(1000L), T0.plusMillis(900));

    assertThat(coordinator.events.isEmpty()).isTrue();
  }

  @Test
  void manualOperationsArriveAsCommandsAndRefusalsSayWhy() {
    given(TestPlan.named("p").stage("load", "sql").stage("report", "sql", "load"));
    coordinator.start("m1", "p", T0);
    coordinator.report("m1", "load", 1, failure("bad rows", false), T0);
    coordinator.newEventKinds();

    coordinator.command("m1", new SkipStage("lod", null), T0.plusSeconds(1));
    assertThat(coordinator.newEventKinds()).containsExactly("InputRejected");
    coordinator.command("m1", new RetryStage("load", false), T0.plusSeconds(2));
    assertThat(coordinator.newEventKinds()).containsExactly("MissionResumed", "StageReset", "StageDispatched");
    coordinator.command("m1", new RetryStage("load", false), T0.plusSeconds(3));

    MissionEvent refusal = coordinator.events.readValue();
    assertThat(((InputRejected) refusal.getEvent()).getReason())
        .isEqualTo("Expected stage 'load' to be FAILED to retry it, but it is DISPATCHED");
    assertThat(refusal.getCause().getActor().getId()).isEqualTo("ann");
    assertThat(sql.readValuesToList()).extracting(StageInstruction::getAttempt).containsExactly(1, 2);
  }

  @Test
  void timersSurviveInTheirStoreAndFireInDueOrder() {
    given(TestPlan.named("p").stage("a", "sql").retry(2, 3000).stage("b", "sql").retry(2, 1000));
    coordinator.start("m1", "p", T0);
    coordinator.report("m1", "a", 1, failure("x", true), T0);
    coordinator.report("m1", "b", 1, failure("y", true), T0);
    sql.readValuesToList();

    coordinator.advanceWallClock(Duration.ofMillis(1100));
    assertThat(sql.readValuesToList()).extracting(StageInstruction::getStage).containsExactly("b");
    coordinator.advanceWallClock(Duration.ofMillis(2000));
    assertThat(sql.readValuesToList()).extracting(StageInstruction::getStage).containsExactly("a");
    assertThat(List.of(coordinator.stored("m1").getStatus())).containsExactly(MissionStatus.RUNNING);
  }
}
