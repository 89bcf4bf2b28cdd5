package io.groundcontrol.worker.internal;

import static io.groundcontrol.worker.internal.WorkerFixture.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A redelivered RUN for an attempt this worker runs or ran is not run again. */
class RedeliveryTest {
  private final WorkerFixture fixture = new WorkerFixture();
  private final GatedHandler handler = new GatedHandler();

  @AfterEach
  void close() {
    handler.open();
    fixture.close();
  }

  @Test
  void doesNotRunAnAttemptAgainWhileItIsRunningAndCommitsBothWithItsReport() {
    fixture.open(handler, options -> options.parallelism(2));

    fixture.send(run("m-1", "load"));
    handler.awaitCalls(1);
    fixture.send(run("m-1", "load"));
    Await.until("the redelivery is read", () -> fixture.consumer.position(fixture.p0) == 2);
    assertThat(fixture.committed(fixture.p0)).isNull();

    handler.open();

    fixture.awaitCommitted(fixture.p0, 2);
    assertThat(handler.calls).containsExactly("m-1");
    assertThat(fixture.kinds("m-1")).containsExactly("finished");
  }

  /** Under eagerRebalances(), every rebalance takes all partitions away, and mostly gives them back. */
  @Test
  void anEagerRebalanceThatGivesThePartitionBackNeitherRunsARunningAttemptAgainNorLosesItsCommit() {
    fixture.open(handler, options -> options.parallelism(2));
    long offset = fixture.send(run("m-1", "load"));
    handler.awaitCalls(1);

    fixture.rebalanceEagerlyAndRedeliver(offset, run("m-1", "load"));
    assertThat(fixture.committed(fixture.p0)).as("nothing was done when the partition was taken away").isNull();
    handler.open();

    fixture.awaitCommitted(fixture.p0, offset + 1);
    assertThat(handler.calls).containsExactly("m-1");
    assertThat(fixture.kinds("m-1")).containsExactly("finished");
  }

  @Test
  void doesNotRunOrReportAnAttemptAgainAfterItsReportWasAcknowledged() {
    handler.open();
    fixture.open(handler);

    fixture.send(run("m-1", "load"));
    fixture.awaitCommitted(fixture.p0, 1);
    fixture.send(run("m-1", "load"));

    fixture.awaitCommitted(fixture.p0, 2);
    assertThat(handler.calls).containsExactly("m-1");
    assertThat(fixture.kinds("m-1")).containsExactly("finished");
  }

  @Test
  void runsANewAttemptOfTheSameStage() {
    handler.open();
    fixture.open(handler);

    fixture.send(run("m-1", "load").attempt(1));
    fixture.awaitCommitted(fixture.p0, 1);
    fixture.send(run("m-1", "load").attempt(2));

    fixture.awaitCommitted(fixture.p0, 2);
    assertThat(handler.calls).containsExactly("m-1", "m-1");
    assertThat(fixture.reports("m-1")).extracting(r -> r.getAttempt()).containsExactly(1, 2);
  }

  @Test
  void runsTheSameAttemptOfALaterDispatchOfANewMissionUnderAForgottenId() {
    handler.open();
    fixture.open(handler);

    fixture.send(run("m-1", "load"));
    fixture.awaitCommitted(fixture.p0, 1);
    fixture.send(run("m-1", "load").dispatchedAt(java.time.Instant.parse("2026-12-30T00:00:00Z")));

    fixture.awaitCommitted(fixture.p0, 2);
    assertThat(handler.calls).containsExactly("m-1", "m-1");
    assertThat(fixture.kinds("m-1")).containsExactly("finished", "finished");
  }

  @Test
  void leavesRunsWaitingOnARevokedPartitionToItsNextOwner() {
    fixture.open(handler);

    fixture.send(fixture.p0, run("m-1", "load"));
    handler.awaitCalls(1);
    fixture.send(fixture.p1, run("m-2", "load"));
    Await.until("m-2 is read", () -> fixture.consumer.position(fixture.p1) == 1);
    fixture.consumer.schedulePollTask(() -> fixture.consumer.rebalance(List.of(fixture.p0)));
    Await.until("p1 is revoked", () -> fixture.consumer.assignment().equals(java.util.Set.of(fixture.p0)));

    handler.open();

    fixture.awaitCommitted(fixture.p0, 1);
    assertThat(handler.calls).containsExactly("m-1");
    assertThat(fixture.kinds("m-2")).isEmpty();
    assertThat(fixture.committed(fixture.p1)).isNull();
  }
}
