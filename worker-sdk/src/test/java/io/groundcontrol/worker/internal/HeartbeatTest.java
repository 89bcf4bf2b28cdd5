package io.groundcontrol.worker.internal;

import static io.groundcontrol.worker.internal.WorkerFixture.run;
import static io.groundcontrol.worker.internal.WorkerFixture.seconds;
import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.schema.ReportHeartbeat;
import io.groundcontrol.schema.ReportStarted;
import io.groundcontrol.schema.StageReport;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * While a handler runs, the worker reports a heartbeat for it every heartbeat interval of its clock.
 * Started goes out at once here, so heartbeats count from the handler's start; {@link
 * StartedReportTest} covers a delayed started report.
 */
class HeartbeatTest {
  private final WorkerFixture fixture = new WorkerFixture();
  private final GatedHandler handler = new GatedHandler();

  @AfterEach
  void close() {
    handler.open();
    fixture.close();
  }

  @Test
  void reportsAHeartbeatEachIntervalWhileTheHandlerRuns() {
    fixture.open(handler, options -> options.heartbeatInterval(seconds(5)).startedReportDelay(Duration.ZERO));
    fixture.send(run("m-1", "load"));
    StageReport started = fixture.awaitReport("m-1", "started");

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
    fixture.open(handler, options -> options.heartbeatInterval(seconds(5)).startedReportDelay(Duration.ZERO));
    fixture.send(run("m-1", "load"));
    fixture.awaitReport("m-1", "started");

    fixture.clock.advance(seconds(4));
    fixture.send(run("m-2", "load"));
    Await.until("the poll loop went round after the clock moved", () -> fixture.consumer.position(fixture.p0) == 2);
    handler.open();
    fixture.awaitReport("m-2", "finished");

    assertThat(fixture.kinds("m-1")).containsExactly("started", "finished");
  }

  @Test
  void sendsNoHeartbeatAfterTheFinalReport() {
    fixture.open(handler, options -> options.heartbeatInterval(seconds(5)).startedReportDelay(Duration.ZERO));
    fixture.send(run("m-1", "load"));
    fixture.awaitReport("m-1", "started");
    handler.open();
    fixture.awaitCommitted(fixture.p0, 1);

    fixture.clock.advance(seconds(10));
    fixture.send(run("m-2", "load"));
    fixture.awaitCommitted(fixture.p0, 2);

    assertThat(fixture.kinds("m-1")).containsExactly("started", "finished");
  }
}
