package io.groundcontrol.worker.internal;

import static io.groundcontrol.worker.internal.WorkerFixture.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.worker.api.StageResult;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** An instruction's offset is committed only once the final report answering it is acknowledged. */
class OffsetCommitTest {
  private final WorkerFixture fixture = new WorkerFixture(false);

  @AfterEach
  void close() {
    fixture.acknowledgeReports();
    fixture.close();
  }

  @Test
  void commitsAnInstructionOnlyAfterItsFinalReportIsAcknowledged() {
    fixture.open(context -> StageResult.finished());

    fixture.send(run("m-1", "load"));
    fixture.awaitReport("m-1", "finished");
    assertThat(fixture.committed(fixture.p0)).isNull();

    fixture.acknowledgeReports();

    fixture.awaitCommitted(fixture.p0, 1);
  }

  @Test
  void commitsOnlyThePrefixOfCompletedInstructionsWhenALaterOneFinishesFirst() throws Exception {
    CountDownLatch firstMayFinish = new CountDownLatch(1);
    fixture.open(context -> {
      if (context.missionId().equals("m-1")) {
        firstMayFinish.await(Await.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      }
      return StageResult.finished();
    }, options -> options.parallelism(2));

    fixture.send(run("m-1", "load"));
    fixture.send(run("m-2", "load"));
    fixture.awaitReport("m-2", "finished");
    fixture.acknowledgeReports();
    fixture.send(fixture.p1, run("m-3", "load"));
    fixture.awaitReport("m-3", "finished");
    fixture.acknowledgeReports();
    fixture.awaitCommitted(fixture.p1, 1);
    assertThat(fixture.committed(fixture.p0)).isNull();

    firstMayFinish.countDown();
    fixture.awaitReport("m-1", "finished");
    fixture.acknowledgeReports();

    fixture.awaitCommitted(fixture.p0, 2);
  }

  /**
   * Every commit is refused while the group rebalances; a worker's roll brought 15-32 such warnings
   * per worker. Refused so, it says nothing above debug; refused otherwise, it warns. Either way the
   * offsets are committed again.
   */
  @Test
  void anAsynchronousCommitRefusedDuringARebalanceIsMadeAgainWithoutAWarning() {
    String logged = committingAfterRefusals(new RebalanceInProgressException(
        "Offset commit cannot be completed since the consumer is undergoing a rebalance for auto partition assignment."));
    assertThat(logged).doesNotContain("Could not commit");
  }

  @Test
  void anAsynchronousCommitRefusedOtherwiseIsMadeAgainWithAWarning() {
    String logged = committingAfterRefusals(new TimeoutException("Timeout of 5000ms expired before the commit"));
    assertThat(logged).contains("WARN").contains("Could not commit {" + fixture.p0 + "=")
        .contains("will commit again: org.apache.kafka.common.errors.TimeoutException");
  }

  /**
   * A partition revoked because its instruction topic was deleted is not committed: the commit would
   * be refused and retried until its timeout, or accepted by the topic if the coordinator created it
   * again meanwhile, and the next owner would then start the new topic past its first instructions.
   */
  @Test
  void aPartitionOfADeletedTopicIsNotCommittedWhenRevoked() {
    String logged = loggedDuring(() -> {
      runOneAndRevokeAll(() -> fixture.consumer.deleteTopic(fixture.p0.topic()));
    });

    assertThat(fixture.consumer.committedSync).isEmpty();
    assertThat(logged).contains("WARN").contains("Not committing {" + fixture.p0 + "=")
        .contains("the topic " + fixture.p0.topic() + " was deleted");
  }

  @Test
  void aRevokedPartitionOfATopicThatStillExistsIsCommitted() {
    runOneAndRevokeAll(() -> { });

    assertThat(fixture.consumer.committedSync).contains(fixture.p0);
  }

  /** Runs one attempt on p0 to its commit, runs {@code beforeRevoke}, and revokes every partition. */
  private void runOneAndRevokeAll(Runnable beforeRevoke) {
    fixture.open(context -> StageResult.finished());
    fixture.send(fixture.p0, run("m-1", "load"));
    fixture.awaitReport("m-1", "finished");
    fixture.acknowledgeReports();
    fixture.awaitCommitted(fixture.p0, 1);
    beforeRevoke.run();
    fixture.consumer.schedulePollTask(() -> fixture.consumer.rebalance(List.of()));
    Await.until("every partition is revoked", () -> fixture.consumer.assignment().isEmpty());
  }

  /** Runs one attempt with its first 3 asynchronous commits refused; returns what was logged meanwhile. */
  private String committingAfterRefusals(RuntimeException refusal) {
    return loggedDuring(() -> {
      fixture.open(context -> StageResult.finished());
      fixture.consumer.refuseCommitsAsync(refusal, 3);
      fixture.send(run("m-1", "load"));
      fixture.awaitReport("m-1", "finished");
      fixture.acknowledgeReports();
      fixture.awaitCommitted(fixture.p0, 1);
    });
  }

  private static String loggedDuring(Runnable action) {
    ByteArrayOutputStream logged = new ByteArrayOutputStream();
    PrintStream stderr = System.err;
    System.setErr(new PrintStream(logged, true, StandardCharsets.UTF_8));
    try {
      action.run();
    } finally {
      System.setErr(stderr);
    }
    return logged.toString(StandardCharsets.UTF_8);
  }

  @Test
  void sendsAFinalReportAgainWhenKafkaRefusesIt() {
    fixture.open(context -> StageResult.finished(), options -> ((WorkerBuilderImpl) options).tuning(
        new WorkerConfig.Tuning(Duration.ofMillis(20), 100, 100, Duration.ZERO)));

    fixture.send(run("m-1", "load"));
    fixture.awaitReport("m-1", "finished");
    fixture.producer.errorNext(new TimeoutException("broker unavailable"));

    Await.until("the finished report is sent again", () -> fixture.reports().size() == 2);
    assertThat(fixture.kinds("m-1")).containsExactly("finished", "finished");
    assertThat(fixture.committed(fixture.p0)).isNull();
    fixture.acknowledgeReports();
    fixture.awaitCommitted(fixture.p0, 1);
  }

  @Test
  void replacesAReportTooLargeForKafkaWithANonRetryableFailure() {
    fixture.open(context -> StageResult.finished().output("rows", "[1,2,3]"));

    fixture.send(run("m-1", "load"));
    fixture.awaitReport("m-1", "finished");
    fixture.producer.errorNext(new RecordTooLargeException("too large"));

    var failed = fixture.awaitReport("m-1", "failed");
    assertThat(WorkerFixture.error(failed).getMessage())
        .isEqualTo("The report of this attempt is too large for Kafka; reduce its outputs");
    assertThat(WorkerFixture.error(failed).getRetryable()).isFalse();
    fixture.acknowledgeReports();
    fixture.awaitCommitted(fixture.p0, 1);
  }
}
