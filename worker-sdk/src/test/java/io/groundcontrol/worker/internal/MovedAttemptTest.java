package io.groundcontrol.worker.internal;

import static io.groundcontrol.worker.internal.WorkerFixture.cancel;
import static io.groundcontrol.worker.internal.WorkerFixture.error;
import static io.groundcontrol.worker.internal.WorkerFixture.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.schema.StageInstruction;
import io.groundcontrol.schema.StageReport;
import io.groundcontrol.schema.wire.AvroCodec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.KafkaException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An attempt running here from a partition that moves to another worker: handed over with a commit
 * once the coordinator knows it started, so its next owner does not run it again, and still reached
 * by its CANCEL, which the cancel reader reads from the partition.
 */
class MovedAttemptTest {
  private static final Duration DELAY = Duration.ofMillis(100);
  private static final AvroCodec<StageInstruction> CODEC = AvroCodec.of(StageInstruction.class);

  private final WorkerFixture fixture = new WorkerFixture();
  private final GatedHandler handler = new GatedHandler();

  @AfterEach
  void close() {
    handler.open();
    fixture.close();
  }

  /** Opens the worker, runs m-1 from p0 and, with {@code reportStarted}, has its started report written. */
  private long runningAttempt(boolean reportStarted) {
    return runningAttempt(reportStarted, Map.of());
  }

  private long runningAttempt(boolean reportStarted, Map<String, Object> kafkaProperties) {
    Map<String, Object> properties = new java.util.HashMap<>(kafkaProperties);
    properties.put("bootstrap.servers", "localhost:9092");
    fixture.open(handler, options -> {
      ((WorkerBuilderImpl) options).kafkaProperties(properties);
      return options.parallelism(2).startedReportDelay(DELAY);
    });
    long offset = fixture.send(run("m-1", "load"));
    handler.awaitCalls(1);
    if (reportStarted) {
      fixture.clock.advance(DELAY);
      fixture.awaitReport("m-1", "started");
    }
    return offset;
  }

  private void moveP0Away() {
    fixture.consumer.schedulePollTask(() -> fixture.consumer.rebalance(List.of(fixture.p1)));
    Await.until("p0 is revoked", () -> fixture.consumer.assignment().equals(Set.of(fixture.p1)));
    fixture.awaitPollLoopTurn();
  }

  @Test
  void commitsTheRunOfAStartedAttemptWhenItsPartitionMovesSoThatTheNextOwnerDoesNotRunItAgain() {
    long offset = runningAttempt(true);

    moveP0Away();

    assertThat(fixture.committed(fixture.p0)).isEqualTo(offset + 1);
    assertThat(handler.interrupted).isEmpty();
    handler.open();
    fixture.awaitReport("m-1", "finished");
    assertThat(fixture.kinds("m-1")).containsExactly("started", "finished");
  }

  @Test
  void handsNothingOverOnceClosing() throws InterruptedException {
    long offset = runningAttempt(true);
    Thread closing = new Thread(fixture.worker::close);
    closing.start();
    Await.until("the worker is closing", () -> !fixture.worker.isOpen());

    fixture.consumer.schedulePollTask(() -> fixture.consumer.rebalance(List.of(fixture.p1)));
    Await.until("p0 is revoked", () -> fixture.consumer.assignment().equals(Set.of(fixture.p1)));

    assertThat(fixture.committed(fixture.p0)).as("m-1 at %d, its heartbeats about to stop", offset).isNull();
    handler.open();
    closing.join();
  }

  @Test
  void leavesTheRunOfAnAttemptNotYetReportedStartedToTheNextOwner() {
    runningAttempt(false);

    moveP0Away();

    assertThat(fixture.committed(fixture.p0)).isNull();
  }

  @Test
  void commitsNoFurtherThanARunThatCameBeforeTheStartedAttemptAndWaitsForAHandler() {
    fixture.open(handler, options -> options.parallelism(1).startedReportDelay(DELAY));
    long first = fixture.send(run("m-1", "load"));
    handler.awaitCalls(1);
    fixture.clock.advance(DELAY);
    fixture.awaitReport("m-1", "started");
    long second = fixture.send(run("m-2", "load"));
    Await.until("m-2 is read", () -> fixture.consumer.position(fixture.p0) > second);

    moveP0Away();

    assertThat(fixture.committed(fixture.p0)).as("m-2 waited, so it is its next owner's").isEqualTo(first + 1);
  }

  @Test
  void cancelsAMovedAttemptWhoseCancelIsWrittenToItsPartitionAfterTheMove() {
    long offset = runningAttempt(true);
    moveP0Away();
    Await.until("the cancel reader reads p0", () -> fixture.cancelReader.assignment().equals(Set.of(fixture.p0)));
    assertThat(fixture.cancelReader.position(fixture.p0)).isEqualTo(offset + 1);

    addToCancelReader(offset + 1, run("m-2", "load").build());
    addToCancelReader(offset + 2, cancel("m-1", "load").build());

    assertCancelled(fixture.awaitReport("m-1", "failed"));
    assertThat(handler.interrupted).containsExactly("m-1");
    assertThat(handler.calls).as("the RUN read by the cancel reader is not run").containsExactly("m-1");
    Await.until("p0 is no longer read once m-1 has ended", () -> fixture.cancelReader.assignment().isEmpty());
  }

  @Test
  void ignoresACancelOfAnotherAttemptReadFromAMovedPartition() {
    long offset = runningAttempt(true);
    moveP0Away();
    Await.until("the cancel reader reads p0", () -> fixture.cancelReader.assignment().equals(Set.of(fixture.p0)));

    addToCancelReader(offset + 1, cancel("m-1", "load").attempt(2).build());
    addToCancelReader(offset + 2, cancel("m-9", "load").build());
    Await.until("the cancel reader read both", () -> fixture.cancelReader.position(fixture.p0) == offset + 3);
    fixture.awaitPollLoopTurn();

    assertThat(handler.interrupted).isEmpty();
    handler.open();
    fixture.awaitReport("m-1", "finished");
  }

  @Test
  void stopsReadingAMovedPartitionOnceItIsAssignedHereAgain() {
    runningAttempt(true);
    moveP0Away();
    Await.until("the cancel reader reads p0", () -> fixture.cancelReader.assignment().equals(Set.of(fixture.p0)));

    fixture.consumer.schedulePollTask(() -> fixture.consumer.rebalance(List.of(fixture.p0, fixture.p1)));

    Await.until("p0 is read by the group consumer only", () -> fixture.cancelReader.assignment().isEmpty());
    fixture.send(cancel("m-1", "load"));
    assertCancelled(fixture.awaitReport("m-1", "failed"));
  }

  @Test
  void goesOnWhenTheCancelReaderCannotBeOpened() {
    fixture.cancelReaderRefused = new KafkaException("Failed to construct kafka consumer");
    long offset = runningAttempt(true);

    moveP0Away();

    assertThat(fixture.committed(fixture.p0)).isEqualTo(offset + 1);
    assertThat(fixture.worker.isOpen()).isTrue();
    handler.open();
    fixture.awaitReport("m-1", "finished");
    fixture.send(fixture.p1, run("m-3", "load"));
    fixture.awaitReport("m-3", "finished");
  }

  @Test
  void readsCancelsWithTheWorkersLoginAndIsolationInNoGroup() {
    runningAttempt(true, Map.of("security.protocol", "SASL_SSL", "group.instance.id", "w-1"));

    moveP0Away();

    Await.until("the cancel reader is opened", () -> fixture.cancelReaderProperties != null);
    assertThat(fixture.cancelReaderProperties).containsAllEntriesOf(Map.of(
        "bootstrap.servers", "localhost:9092",
        "security.protocol", "SASL_SSL",
        "isolation.level", "read_committed",
        "enable.auto.commit", "false",
        "client.id", "groundcontrol-worker-worker-1-cancel-reader"));
    assertThat(fixture.cancelReaderProperties).doesNotContainKeys("group.id", "group.instance.id",
        "partition.assignment.strategy", "session.timeout.ms", "heartbeat.interval.ms");
  }

  private void addToCancelReader(long offset, StageInstruction instruction) {
    fixture.cancelReader.addRecord(new ConsumerRecord<>(fixture.p0.topic(), fixture.p0.partition(), offset,
        instruction.getMissionId(), CODEC.encode(instruction)));
  }

  private static void assertCancelled(StageReport report) {
    assertThat(error(report).getMessage()).isEqualTo("cancelled");
    assertThat(error(report).getRetryable()).isFalse();
  }
}
