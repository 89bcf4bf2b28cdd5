package io.groundcontrol.worker.internal;

import static io.groundcontrol.worker.internal.WorkerFixture.START;
import static io.groundcontrol.worker.internal.WorkerFixture.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.schema.ReportStarted;
import io.groundcontrol.schema.StageReport;
import java.time.Duration;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A started report Kafka loses is sent again after the resend backoff (1 s), and no heartbeat goes
 * before it: without it the coordinator starts the attempt only at its first heartbeat, so the
 * stage's timeout would count from then, not from when the handler began.
 */
class LostStartedReportTest {
  private static final Duration DELAY = Duration.ofMillis(100);
  private static final Duration HEARTBEAT = Duration.ofMillis(400);
  private static final Duration BACKOFF = Duration.ofSeconds(1);

  private final GatedHandler handler = new GatedHandler();
  private WorkerFixture fixture;

  /** Each test ends with every report sent, so that acknowledging them lets the worker close at once. */
  @AfterEach
  void close() {
    handler.open();
    fixture.acknowledgeReports();
    fixture.close();
  }

  @Test
  void sendsAStartedReportRefusedAtSendAgainAfterTheBackoffWithNoHeartbeatBeforeIt() {
    open(new WorkerFixture());
    fixture.producer.refuseNext(report -> report.getOutcome() instanceof ReportStarted);

    fixture.clock.advance(DELAY);
    fixture.awaitProgressTurn();
    fixture.clock.advance(BACKOFF.minusMillis(1));
    fixture.awaitProgressTurn();
    assertThat(fixture.kinds("m-1")).as("a heartbeat is due, but waits for the started report").isEmpty();
    fixture.clock.advance(Duration.ofMillis(1));
    StageReport started = fixture.awaitReport("m-1", "started");
    fixture.clock.advance(HEARTBEAT);
    fixture.awaitReport("m-1", "heartbeat");
    handler.open();
    fixture.awaitReport("m-1", "finished");

    assertThat(fixture.kinds("m-1")).containsExactly("started", "heartbeat", "finished");
    assertThat(((ReportStarted) started.getOutcome()).getStartedAt()).isEqualTo(START);
    assertThat(started.getReportedAt()).isEqualTo(START.plus(DELAY).plus(BACKOFF));
  }

  @Test
  void sendsAStartedReportLostOnDeliveryAgainAfterTheBackoffWithNoHeartbeatBeforeIt() {
    open(new WorkerFixture(false));
    fixture.clock.advance(DELAY);
    fixture.awaitReport("m-1", "started");

    fixture.producer.errorNext(new TimeoutException("Expiring 1 record(s): delivery timed out"));
    fixture.clock.advance(BACKOFF.minusMillis(1));
    fixture.awaitProgressTurn();
    assertThat(fixture.kinds("m-1")).as("a heartbeat is due, but waits for the started report").hasSize(1);
    fixture.clock.advance(Duration.ofMillis(1));
    Await.until("started is sent again", () -> fixture.kinds("m-1").size() == 2);
    fixture.clock.advance(HEARTBEAT);
    fixture.awaitReport("m-1", "heartbeat");
    handler.open();
    fixture.awaitReport("m-1", "finished");

    assertThat(fixture.kinds("m-1")).containsExactly("started", "started", "heartbeat", "finished");
  }

  /**
   * A heartbeat sent while the started report's delivery was pending, and written: the coordinator
   * started the attempt at it, and would reject a started report sent again.
   */
  @Test
  void doesNotSendAgainAStartedReportLostOnceAHeartbeatWasDelivered() {
    open(new WorkerFixture(false));
    fixture.clock.advance(DELAY);
    fixture.awaitReport("m-1", "started");
    fixture.clock.advance(HEARTBEAT);
    fixture.awaitReport("m-1", "heartbeat");

    fixture.producer.errorNext(new TimeoutException("Expiring 1 record(s): delivery timed out"));
    fixture.producer.completeNext();
    fixture.clock.advance(BACKOFF);
    fixture.awaitProgressTurn();
    assertThat(fixture.kinds("m-1")).as("no started again, and the heartbeat due is sent").containsExactly(
        "started", "heartbeat", "heartbeat");
    handler.open();
    fixture.awaitReport("m-1", "finished");

    assertThat(fixture.kinds("m-1")).containsExactly("started", "heartbeat", "heartbeat", "finished");
  }

  @Test
  void doesNotSendAgainAStartedReportLostAfterTheAttemptEnded() {
    open(new WorkerFixture(false));
    fixture.clock.advance(DELAY);
    fixture.awaitReport("m-1", "started");
    handler.open();
    fixture.awaitReport("m-1", "finished");

    fixture.producer.errorNext(new TimeoutException("Expiring 1 record(s): delivery timed out"));
    fixture.clock.advance(BACKOFF.plus(HEARTBEAT));
    fixture.awaitProgressTurn();

    assertThat(fixture.kinds("m-1")).containsExactly("started", "finished");
  }

  private void open(WorkerFixture opened) {
    fixture = opened;
    fixture.open(handler, options -> options.heartbeatInterval(HEARTBEAT).startedReportDelay(DELAY));
    fixture.send(run("m-1", "load"));
    handler.awaitCalls(1);
  }
}
