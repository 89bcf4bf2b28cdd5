package io.groundcontrol.coordinator;

import static io.groundcontrol.coordinator.CoordinatorDriver.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.mission.TestPlan;
import io.groundcontrol.schema.InstructionKind;
import io.groundcontrol.schema.MissionEvent;
import io.groundcontrol.schema.ReportFailed;
import io.groundcontrol.schema.ReportFinished;
import io.groundcontrol.schema.ReportHeartbeat;
import io.groundcontrol.schema.ReportStarted;
import io.groundcontrol.schema.StageError;
import io.groundcontrol.schema.StageFailed;
import io.groundcontrol.schema.StageInstruction;
import io.groundcontrol.schema.StageRetryScheduled;
import io.groundcontrol.schema.StageStarted;
import io.groundcontrol.schema.StageStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.TestOutputTopic;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a worker that follows the README's topic contract, not an SDK, gets from the coordinator. */
class WorkerContractTopologyTest {
  @TempDir Path stateDir;

  private CoordinatorDriver coordinator;
  private List<MissionEvent> events = List.of();

  private void given(TestPlan plan) {
    coordinator = new CoordinatorDriver(stateDir);
    coordinator.apply(plan.build());
  }

  @AfterEach
  void tearDown() {
    coordinator.close();
  }

  /** The error messages of the attempts failed since the last call. */
  private List<String> failures() {
    events = coordinator.events.readValuesToList();
    return events.stream().map(MissionEvent::getEvent).filter(StageFailed.class::isInstance)
        .map(e -> ((StageFailed) e).getError().getMessage()).toList();
  }

  @Test
  void aHeartbeatIntervalBelowOneMillisecondMeansNoHeartbeatsNotALostWorker() {
    given(TestPlan.named("p").stage("load", "sql").timeout(5000).retry(3, 1000)
        .stage("save", "sql").timeout(5000).retry(3, 1000));
    coordinator.start("m1", "p", T0);
    coordinator.report("m1", "load", 1, new ReportStarted(0L, T0), T0);
    coordinator.report("m1", "save", 1, new ReportStarted(-5000L, T0), T0);
    coordinator.advanceWallClock(Duration.ofMillis(300));

    assertThat(failures()).isEmpty();
    assertThat(events).map(MissionEvent::getEvent).filteredOn(StageStarted.class::isInstance)
        .map(e -> ((StageStarted) e).getHeartbeatIntervalMs()).containsExactly(null, null);
    assertThat(coordinator.storedStage("m1", "load").getStatus()).isEqualTo(StageStatus.RUNNING);
    coordinator.advanceWallClock(Duration.ofSeconds(5));
    assertThat(failures()).as("the stage's timeout still bounds the attempt")
        .containsExactly("timed out after 5s (attempt 1)", "timed out after 5s (attempt 1)");
  }

  /**
   * A worker whose clock is an hour ahead stamps its report and its startedAt an hour late: the
   * timeout counts from when the coordinator read the report, on its own clock, at the latest (plus
   * the second of skew it trusts).
   */
  @Test
  void aWorkerClockAheadDoesNotPushTheStageTimeoutOut() {
    given(TestPlan.named("p").stage("load", "sql").timeout(5000).stage("save", "sql").timeout(5000));
    coordinator.start("m1", "p", T0);
    coordinator.report("m1", "load", 1, new ReportStarted(null, null), T0.plusSeconds(3600));
    coordinator.report("m1", "save", 1, new ReportStarted(null, T0.plusSeconds(3600)), T0.plusSeconds(3600));
    coordinator.advanceWallClock(Duration.ofSeconds(5));
    assertThat(failures()).isEmpty();
    assertThat(events).map(MissionEvent::getEvent).filteredOn(StageStarted.class::isInstance)
        .map(e -> ((StageStarted) e).getStartedAt()).as("read at T0 on the coordinator's clock, a second of skew trusted")
        .containsExactly(T0.plusSeconds(1), T0.plusSeconds(1));

    coordinator.advanceWallClock(Duration.ofMillis(1200));
    assertThat(failures()).containsExactly("timed out after 5s (attempt 1)", "timed out after 5s (attempt 1)");
  }

  /**
   * A paced audit replay stamps an input ahead of the coordinator's clock on purpose (it runs the
   * original's hours in seconds): its stamp counts as when it was read, so the replayed startedAt
   * and backoff are the original's.
   */
  @Test
  void aReplayedInputStampedAheadIsTakenAsReadAtItsStamp() {
    given(TestPlan.named("p").stage("load", "sql").retry(3, 1000));
    coordinator.start("m1", "p", T0);
    Instant ahead = T0.plusSeconds(3600);
    coordinator.replayedReport("m1", "load", 1, new ReportStarted(1000L, ahead.minusMillis(100)), ahead);
    coordinator.replayedReport("m1", "load", 1, new ReportFailed(new StageError("flaky", null, true)), ahead);

    events = coordinator.events.readValuesToList();
    assertThat(events).map(MissionEvent::getEvent).filteredOn(StageStarted.class::isInstance)
        .map(e -> ((StageStarted) e).getStartedAt()).containsExactly(ahead.minusMillis(100));
    assertThat(events).map(MissionEvent::getEvent).filteredOn(StageRetryScheduled.class::isInstance)
        .map(e -> ((StageRetryScheduled) e).getDueAt()).containsExactly(ahead.plusSeconds(1));
  }

  /**
   * Hosts kept by NTP differ by milliseconds: a report stamped a little ahead of the coordinator's
   * clock is taken at its word, so that the decision does not depend on when it was read, which an
   * audit replay cannot know.
   */
  @Test
  void aWorkerClockMillisecondsAheadIsTakenAtItsWord() {
    given(TestPlan.named("p").stage("load", "sql").timeout(5000));
    coordinator.start("m1", "p", T0);
    coordinator.report("m1", "load", 1, new ReportStarted(null, T0.plusMillis(200)), T0.plusMillis(200));

    events = coordinator.events.readValuesToList();
    assertThat(events).map(MissionEvent::getEvent).filteredOn(StageStarted.class::isInstance)
        .map(e -> ((StageStarted) e).getStartedAt()).containsExactly(T0.plusMillis(200));
  }

  /** A worker an hour fast stamps its failure an hour late: the retry's backoff counts from when the coordinator read it. */
  @Test
  void aWorkerClockAheadDoesNotHoldTheRetryBack() {
    given(TestPlan.named("p").stage("load", "sql").retry(3, 1000));
    coordinator.start("m1", "p", T0);
    coordinator.report("m1", "load", 1, new ReportFailed(new StageError("flaky", null, true)), T0.plusSeconds(3600));

    assertThat(coordinator.newEventKinds()).endsWith("StageFailed", "StageRetryScheduled");
    coordinator.advanceWallClock(Duration.ofMillis(1900));
    assertThat(coordinator.newEventKinds()).as("a second of skew trusted, then the backoff").isEmpty();
    coordinator.advanceWallClock(Duration.ofMillis(300));
    assertThat(coordinator.newEventKinds()).containsExactly("StageDispatched");
  }

  /** A "practically never" interval (2^62 ms) would overflow the window into the past and lose the worker at once. */
  @Test
  void aHugeHeartbeatIntervalIsWatchedAsTheLongestNotAsAWindowInThePast() {
    given(TestPlan.named("p").stage("load", "sql"));
    coordinator.start("m1", "p", T0);
    coordinator.report("m1", "load", 1, new ReportStarted(1L << 62, T0), T0);
    coordinator.report("m1", "load", 1, new ReportHeartbeat(1L << 62), T0.plusSeconds(1));
    coordinator.advanceWallClock(Duration.ofSeconds(5));

    assertThat(failures()).isEmpty();
    assertThat(events).map(MissionEvent::getEvent).filteredOn(StageStarted.class::isInstance)
        .map(e -> ((StageStarted) e).getHeartbeatIntervalMs()).containsExactly(365L * 24 * 60 * 60 * 1000);
    assertThat(coordinator.storedStage("m1", "load").getStatus()).isEqualTo(StageStatus.RUNNING);
  }

  /** Stage "load" of mission m1, with a timeout of {@code timeoutMs}, gets a heartbeat (1 s) read at 200 ms and no started report. */
  private void heartbeatWithoutAStartedReport(long timeoutMs) {
    given(TestPlan.named("p").stage("load", "sql").timeout(timeoutMs));
    coordinator.start("m1", "p", T0);
    coordinator.advanceWallClock(Duration.ofMillis(200));
    coordinator.report("m1", "load", 1, new ReportHeartbeat(1000L), T0.plusMillis(200));
  }

  /** A worker that heartbeats but never reports started is watched from its first heartbeat, read at 200 ms. */
  @Test
  void theFirstHeartbeatOfAnAttemptWithoutAStartedReportStartsItAndItsLivenessApplies() {
    heartbeatWithoutAStartedReport(60_000);

    assertThat(coordinator.newEventKinds()).containsExactly("MissionStarted", "StageDispatched", "StageStarted");
    assertThat(coordinator.storedStage("m1", "load").getStatus()).isEqualTo(StageStatus.RUNNING);
    coordinator.advanceWallClock(Duration.ofMillis(2900));
    assertThat(failures()).isEmpty();
    coordinator.advanceWallClock(Duration.ofMillis(200));
    assertThat(failures()).containsExactly("worker lost: no heartbeat from worker 'w-1' (attempt 1)");
  }

  @Test
  void anAttemptStartedByAHeartbeatIsBoundByItsTimeout() {
    heartbeatWithoutAStartedReport(5000);
    for (int second = 1; second <= 5; second++) {
      coordinator.advanceWallClock(Duration.ofSeconds(1));
      coordinator.report("m1", "load", 1, new ReportHeartbeat(1000L), T0.plusMillis(200).plusSeconds(second));
    }
    coordinator.advanceWallClock(Duration.ofMillis(100));

    List<MissionEvent> written = coordinator.events.readValuesToList();
    assertThat(written).map(e -> e.getEvent().getClass().getSimpleName())
        .containsExactly("MissionStarted", "StageDispatched", "StageStarted", "StageFailed", "MissionFailed");
    assertThat(((StageStarted) written.get(2).getEvent()).getStartedAt()).isEqualTo(T0.plusMillis(200));
    assertThat(((StageFailed) written.get(3).getEvent()).getError().getMessage()).isEqualTo("timed out after 5s (attempt 1)");
  }

  /** Heartbeats are many: one on an ended or an older attempt is dropped as before, not recorded as rejected. */
  @Test
  void aHeartbeatOnAnAttemptThatEndedOrIsNotCurrentRecordsNothing() {
    given(TestPlan.named("p").stage("load", "sql").retry(2, 1000).stage("save", "sql"));
    coordinator.start("m1", "p", T0);
    coordinator.report("m1", "load", 1, new ReportFailed(new StageError("flaky", null, true)), T0);
    coordinator.advanceWallClock(Duration.ofMillis(1100));
    coordinator.report("m1", "save", 1, new ReportFinished(Map.of()), T0.plusMillis(1100));
    coordinator.events.readValuesToList();

    coordinator.report("m1", "load", 1, new ReportHeartbeat(1000L), T0.plusMillis(1200));
    coordinator.report("m1", "save", 1, new ReportHeartbeat(1000L), T0.plusMillis(1200));
    coordinator.report("m2", "load", 1, new ReportHeartbeat(1000L), T0.plusMillis(1200));

    assertThat(coordinator.newEventKinds()).isEmpty();
    assertThat(coordinator.storedStage("m1", "load").getStatus()).isEqualTo(StageStatus.DISPATCHED);
  }

  /** Started with heartbeats every {@code startedMs}, then a heartbeat at 500 ms announcing {@code announcedMs}. */
  private void heartbeatAnnouncing(long startedMs, Long announcedMs) {
    given(TestPlan.named("p").stage("load", "sql"));
    coordinator.start("m1", "p", T0);
    coordinator.report("m1", "load", 1, new ReportStarted(startedMs, T0), T0);
    coordinator.advanceWallClock(Duration.ofMillis(500));
    coordinator.report("m1", "load", 1, new ReportHeartbeat(announcedMs), T0.plusMillis(500));
  }

  @Test
  void aHeartbeatAnnouncingALongerIntervalWidensTheWindowFromThatHeartbeatOn() {
    heartbeatAnnouncing(1000, 60_000L);
    coordinator.advanceWallClock(Duration.ofSeconds(10));
    assertThat(failures()).isEmpty();
    assertThat(coordinator.storedStage("m1", "load").getStatus()).isEqualTo(StageStatus.RUNNING);

    coordinator.advanceWallClock(Duration.ofSeconds(171));
    assertThat(failures()).as("3 minutes after the heartbeat at 500 ms")
        .containsExactly("worker lost: no heartbeat from worker 'w-1' (attempt 1)");
  }

  @Test
  void aHeartbeatAnnouncingAShorterIntervalNarrowsTheWindowFromThatHeartbeatOn() {
    heartbeatAnnouncing(60_000, 1000L);
    coordinator.advanceWallClock(Duration.ofMillis(2900));
    assertThat(failures()).isEmpty();

    coordinator.advanceWallClock(Duration.ofMillis(200));
    assertThat(failures()).containsExactly("worker lost: no heartbeat from worker 'w-1' (attempt 1)");
  }

  /** A heartbeat announcing none: the worker stops heartbeating, and the coordinator watching. */
  @Test
  void aHeartbeatAnnouncingNoIntervalEndsTheWatch() {
    heartbeatAnnouncing(1000, null);
    coordinator.advanceWallClock(Duration.ofSeconds(10));
    assertThat(failures()).isEmpty();
    assertThat(coordinator.storedStage("m1", "load").getStatus()).isEqualTo(StageStatus.RUNNING);
  }

  /** As the contract says: a CANCEL names its RUN's attempt, but carries the time the cancel was decided. */
  @Test
  void aCancelMatchesItsRunByMissionStageAndAttemptNotByDispatchedAt() {
    given(TestPlan.named("p").stage("load", "sql").timeout(5000));
    TestOutputTopic<String, StageInstruction> sql = coordinator.instructions("sql");
    coordinator.start("m1", "p", T0);
    coordinator.advanceWallClock(Duration.ofSeconds(1));
    coordinator.report("m1", "load", 1, new ReportStarted(null, null), T0.plusSeconds(1));
    coordinator.advanceWallClock(Duration.ofSeconds(6));

    List<StageInstruction> sent = sql.readValuesToList();
    assertThat(sent).map(StageInstruction::getKind).containsExactly(InstructionKind.RUN, InstructionKind.CANCEL);
    assertThat(sent).map(i -> i.getMissionId() + "/" + i.getStage() + "/" + i.getAttempt()).containsOnly("m1/load/1");
    assertThat(sent.get(0).getDispatchedAt()).isEqualTo(T0);
    assertThat(sent.get(1).getDispatchedAt()).isAfter(T0.plusSeconds(6));
  }
}
