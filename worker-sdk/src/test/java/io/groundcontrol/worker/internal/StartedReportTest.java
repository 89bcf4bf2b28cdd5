package io.groundcontrol.worker.internal;

import static io.groundcontrol.worker.internal.WorkerFixture.START;
import static io.groundcontrol.worker.internal.WorkerFixture.cancel;
import static io.groundcontrol.worker.internal.WorkerFixture.error;
import static io.groundcontrol.worker.internal.WorkerFixture.run;
import static io.groundcontrol.worker.internal.WorkerFixture.seconds;
import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.schema.ReportStarted;
import io.groundcontrol.schema.StageReport;
import io.groundcontrol.worker.api.StageResult;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Started is reported only for a handler still running after the started-report delay of the
 * worker's clock; heartbeats follow it, and a quick attempt is reported by its final report alone.
 */
class StartedReportTest {
  private static final Duration DELAY = Duration.ofMillis(100);

  private final WorkerFixture fixture = new WorkerFixture();
  private final GatedHandler handler = new GatedHandler();

  @AfterEach
  void close() {
    handler.open();
    fixture.close();
  }

  @Test
  void reportsAHandlerThatEndsWithinTheDelayOnlyByItsFinalReport() {
    fixture.open(context -> StageResult.finished());

    fixture.send(run("m-1", "load"));
    fixture.send(run("m-2", "load"));
    fixture.awaitCommitted(fixture.p0, 2);

    assertThat(fixture.kinds("m-1")).containsExactly("finished");
    assertThat(fixture.kinds("m-2")).containsExactly("finished");
  }

  @Test
  void reportsNothingBeforeTheDelayHasPassed() {
    fixture.open(handler, options -> options.startedReportDelay(DELAY));
    fixture.send(run("m-1", "load"));
    handler.awaitCalls(1);

    fixture.clock.advance(DELAY.minusMillis(1));
    fixture.awaitProgressTurn();
    assertThat(fixture.kinds("m-1")).isEmpty();

    handler.open();
    fixture.awaitReport("m-1", "finished");
    assertThat(fixture.kinds("m-1")).containsExactly("finished");
  }

  @Test
  void reportsAHandlerStillRunningAfterTheDelayStartedThenHeartbeatsCountedFromStartedThenFinished() {
    fixture.open(handler, options -> options.heartbeatInterval(seconds(5)).startedReportDelay(DELAY));
    fixture.send(run("m-1", "load"));
    handler.awaitCalls(1);

    fixture.clock.advance(DELAY);
    StageReport started = fixture.awaitReport("m-1", "started");
    fixture.clock.advance(seconds(5).minus(DELAY));
    fixture.awaitProgressTurn();
    assertThat(fixture.kinds("m-1")).containsExactly("started");
    fixture.clock.advance(DELAY);
    StageReport heartbeat = fixture.awaitReport("m-1", "heartbeat");
    handler.open();
    fixture.awaitReport("m-1", "finished");

    assertThat(fixture.kinds("m-1")).containsExactly("started", "heartbeat", "finished");
    assertThat(started.getReportedAt()).isEqualTo(START.plus(DELAY));
    assertThat(((ReportStarted) started.getOutcome()).getHeartbeatIntervalMs()).isEqualTo(5_000L);
    assertThat(((ReportStarted) started.getOutcome()).getStartedAt())
        .as("when the handler began, not when started was reported: the timeout counts from there").isEqualTo(START);
    assertThat(heartbeat.getReportedAt()).isEqualTo(START.plus(DELAY).plusSeconds(5));
  }

  /** The delay is timed on a monotonic clock; startedAt and reportedAt are stamped on the wall clock. */
  @Test
  void aWallClockSteppedBackDoesNotHoldBackTheStartedReport() {
    fixture.open(handler, options -> options.startedReportDelay(DELAY));
    fixture.send(run("m-1", "load"));
    handler.awaitCalls(1);

    fixture.clock.stepWallClock(seconds(-30));
    fixture.clock.advance(DELAY);
    StageReport started = fixture.awaitReport("m-1", "started");

    assertThat(((ReportStarted) started.getOutcome()).getStartedAt()).isEqualTo(START);
    assertThat(started.getReportedAt()).isEqualTo(START.minusSeconds(30).plus(DELAY));
  }

  @Test
  void byDefaultWaitsTheHeartbeatIntervalButAtMost100Milliseconds() {
    assertThat(WorkerBuilderImpl.defaultStartedReportDelay(seconds(5))).isEqualTo(Duration.ofMillis(100));
    assertThat(WorkerBuilderImpl.defaultStartedReportDelay(Duration.ofMillis(40))).isEqualTo(Duration.ofMillis(40));

    fixture.open(handler);
    fixture.send(run("m-1", "load"));
    handler.awaitCalls(1);
    fixture.clock.advance(Duration.ofMillis(99));
    fixture.awaitProgressTurn();
    assertThat(fixture.kinds("m-1")).isEmpty();

    fixture.clock.advance(Duration.ofMillis(1));
    fixture.awaitReport("m-1", "started");
  }

  @Test
  void withNoDelayReportsStartedBeforeCallingTheHandler() {
    AtomicReference<List<String>> reportedBeforeTheCall = new AtomicReference<>();
    fixture.open(context -> {
      reportedBeforeTheCall.set(fixture.kinds("m-1"));
      return StageResult.finished();
    }, options -> options.startedReportDelay(Duration.ZERO));

    fixture.send(run("m-1", "load"));

    fixture.awaitReport("m-1", "finished");
    assertThat(reportedBeforeTheCall.get()).containsExactly("started");
    assertThat(fixture.kinds("m-1")).containsExactly("started", "finished");
  }

  @Test
  void aCancelWithinTheDelayInterruptsTheHandlerAndIsReportedOnlyByTheCancelledFailure() {
    fixture.open(handler, options -> options.startedReportDelay(DELAY));
    fixture.send(run("m-1", "load"));
    handler.awaitCalls(1);

    fixture.send(cancel("m-1", "load"));

    assertThat(error(fixture.awaitReport("m-1", "failed")).getMessage()).isEqualTo("cancelled");
    assertThat(handler.interrupted).containsExactly("m-1");
    fixture.clock.advance(seconds(10));
    fixture.awaitProgressTurn();
    assertThat(fixture.kinds("m-1")).containsExactly("failed");
    fixture.awaitCommitted(fixture.p0, 2);
  }

  @Test
  void aCancelAfterTheStartedReportIsReportedAfterIt() {
    fixture.open(handler, options -> options.startedReportDelay(DELAY));
    fixture.send(run("m-1", "load"));
    handler.awaitCalls(1);
    fixture.clock.advance(DELAY);
    fixture.awaitReport("m-1", "started");

    fixture.send(cancel("m-1", "load"));

    assertThat(error(fixture.awaitReport("m-1", "failed")).getMessage()).isEqualTo("cancelled");
    assertThat(handler.interrupted).containsExactly("m-1");
    assertThat(fixture.kinds("m-1")).containsExactly("started", "failed");
  }

  @Test
  void reportsStartedForAHandlerThatOutlastsTheDelayWhileTheWorkerCloses() throws Exception {
    fixture.open(handler, options -> options.startedReportDelay(DELAY).closeTimeout(Await.TIMEOUT));
    fixture.send(run("m-1", "load"));
    handler.awaitCalls(1);

    Thread closing = new Thread(fixture.worker::close);
    closing.start();
    Await.until("the worker is closing", () -> !fixture.worker.isOpen());
    fixture.clock.advance(DELAY);
    fixture.awaitReport("m-1", "started");
    handler.open();
    closing.join(Await.TIMEOUT.toMillis());

    assertThat(fixture.kinds("m-1")).containsExactly("started", "finished");
  }
}
