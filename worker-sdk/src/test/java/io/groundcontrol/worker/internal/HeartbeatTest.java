package io.groundcontrol.worker.internal;

import static io.groundcontrol.worker.internal.WorkerFixture.cancel;
import static io.groundcontrol.worker.internal.WorkerFixture.run;
import static io.groundcontrol.worker.internal.WorkerFixture.seconds;
import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.schema.ReportHeartbeat;
import io.groundcontrol.schema.ReportStarted;
import io.groundcontrol.schema.StageReport;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * While a handler runs, the worker reports a heartbeat for it every heartbeat interval of its monotonic clock.
 * Started goes out at once here, so heartbeats count from the handler's start; {@link
 * StartedReportTest} covers a delayed started report. Heartbeats have a thread of their own, so
 * neither a poll thread held by a rebalance nor a send held by the producer stops them or a CANCEL.
 */
class HeartbeatTest {
  private final WorkerFixture fixture = new WorkerFixture();
  private final GatedHandler handler = new GatedHandler();
  private final CountDownLatch commitGate = new CountDownLatch(1);

  @AfterEach
  void close() {
    handler.open();
    commitGate.countDown();
    fixture.producer.release();
    fixture.close();
  }

  @Test
  void reportsAHeartbeatEachIntervalWhileTheHandlerRuns() {
    StageReport started = startM1(seconds(5));

    fixture.clock.advance(seconds(4));
    fixture.clock.advance(seconds(1));
    StageReport heartbeat = fixture.awaitReport("m-1", "heartbeat");
    fixture.clock.advance(seconds(5));
    Await.until("a second heartbeat", () -> fixture.kinds("m-1").size() == 3);
    handler.open();
    fixture.awaitReport("m-1", "finished");

    assertThat(heartbeat.getReportedAt()).isEqualTo(WorkerFixture.START.plusSeconds(5));
    assertThat(heartbeat.getAttempt()).isEqualTo(1);
    assertThat(((ReportHeartbeat) heartbeat.getOutcome()).getHeartbeatIntervalMs()).isEqualTo(5_000L);
    assertThat(((ReportStarted) started.getOutcome()).getHeartbeatIntervalMs()).isEqualTo(5_000L);
    assertThat(fixture.kinds("m-1")).containsExactly("started", "heartbeat", "heartbeat", "finished");
  }

  @Test
  void sendsNoHeartbeatBeforeTheIntervalHasPassed() {
    startM1(seconds(5));

    fixture.clock.advance(seconds(4));
    fixture.send(run("m-2", "load"));
    Await.until("the poll loop went round after the clock moved", () -> fixture.consumer.position(fixture.p0) == 2);
    handler.open();
    fixture.awaitReport("m-2", "finished");

    assertThat(fixture.kinds("m-1")).containsExactly("started", "finished");
  }

  @Test
  void sendsNoHeartbeatAfterTheFinalReport() {
    startM1(seconds(5));
    handler.open();
    fixture.awaitCommitted(fixture.p0, 1);

    fixture.clock.advance(seconds(10));
    fixture.send(run("m-2", "load"));
    fixture.awaitCommitted(fixture.p0, 2);

    assertThat(fixture.kinds("m-1")).containsExactly("started", "finished");
  }

  /**
   * A commit while partitions are revoked holds the poll thread for up to 5 s; with a heartbeat
   * interval under 2 s the coordinator would declare this healthy worker lost meanwhile.
   */
  @Test
  void keepsHeartbeatingWhileARevocationCommitHoldsThePollThread() {
    startM1(seconds(1));
    // Records read on p1, so that revoking it commits them synchronously, inside the poll.
    fixture.awaitPollLoopTurn();
    fixture.consumer.holdCommitSync(commitGate);
    fixture.consumer.schedulePollTask(() -> fixture.consumer.rebalance(List.of(fixture.p0)));
    fixture.consumer.awaitCommitSyncHeld();

    fixture.clock.advance(seconds(1));
    fixture.awaitReport("m-1", "heartbeat");
    fixture.clock.advance(seconds(1));
    Await.until("a second heartbeat", () -> fixture.kinds("m-1").size() == 3);
    commitGate.countDown();
    handler.open();
    fixture.awaitReport("m-1", "finished");

    assertThat(fixture.kinds("m-1")).containsExactly("started", "heartbeat", "heartbeat", "finished");
  }

  /**
   * A heartbeat blocked in the producer (a full buffer, missing metadata) holds up its own
   * attempt's final report, which must come after it, but not the poll thread: a CANCEL gets through.
   */
  @Test
  void aHeartbeatHeldInTheProducerHoldsUpNeitherThePollThreadNorACancel() {
    startM1(seconds(5));
    fixture.producer.hold(report -> WorkerFixture.kind(report).equals("heartbeat"));
    fixture.clock.advance(seconds(5));
    fixture.producer.awaitHolding();

    fixture.send(cancel("m-1", "load"));
    Await.until("the handler is interrupted", () -> handler.interrupted.contains("m-1"));
    fixture.awaitPollLoopTurn();
    assertThat(fixture.kinds("m-1")).containsExactly("started");
    fixture.producer.release();

    assertThat(WorkerFixture.error(fixture.awaitReport("m-1", "failed")).getMessage()).isEqualTo("cancelled");
    assertThat(fixture.kinds("m-1")).containsExactly("started", "heartbeat", "failed");
  }

  /**
   * Heartbeats are timed on a monotonic clock: the wall clock stepped back (by NTP, after a VM
   * resumed) must not silence them, or the coordinator, which times the silence on its own clock,
   * declares this healthy worker lost. Reports are still stamped with the wall clock.
   */
  @Test
  void aWallClockSteppedBackDoesNotHoldBackTheNextHeartbeat() {
    startM1(seconds(5));

    fixture.clock.stepWallClock(seconds(-30));
    fixture.clock.advance(seconds(5));
    StageReport heartbeat = fixture.awaitReport("m-1", "heartbeat");

    assertThat(heartbeat.getReportedAt()).isEqualTo(WorkerFixture.START.minusSeconds(25));
    handler.open();
    fixture.awaitReport("m-1", "finished");
    assertThat(fixture.kinds("m-1")).containsExactly("started", "heartbeat", "finished");
  }

  @Test
  void aWallClockSteppedForwardDoesNotSendAHeartbeatEarly() {
    startM1(seconds(5));

    fixture.clock.stepWallClock(seconds(30));
    fixture.clock.advance(seconds(4));
    fixture.awaitProgressTurn();

    assertThat(fixture.kinds("m-1")).containsExactly("started");
  }

  /** Opens the worker with no started-report delay and runs m-1 until it is reported started. */
  private StageReport startM1(Duration heartbeatInterval) {
    fixture.open(handler, options -> options.heartbeatInterval(heartbeatInterval).startedReportDelay(Duration.ZERO));
    fixture.send(run("m-1", "load"));
    return fixture.awaitReport("m-1", "started");
  }
}
