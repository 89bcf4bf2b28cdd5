package io.groundcontrol.worker.internal;

import static io.groundcontrol.worker.internal.WorkerFixture.cancel;
import static io.groundcontrol.worker.internal.WorkerFixture.error;
import static io.groundcontrol.worker.internal.WorkerFixture.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.schema.StageError;
import io.groundcontrol.worker.api.StageResult;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A CANCEL interrupts the attempt if it runs here, answers it if it waits here, and is ignored otherwise. */
class CancelTest {
  private final WorkerFixture fixture = new WorkerFixture();
  private final GatedHandler handler = new GatedHandler();

  @AfterEach
  void close() {
    handler.open();
    fixture.close();
  }

  @Test
  void interruptsTheRunningHandlerAndReportsCancelledNotRetryable() {
    fixture.open(handler);
    fixture.send(run("m-1", "load"));
    handler.awaitCalls(1);

    fixture.send(cancel("m-1", "load"));

    StageError error = error(fixture.awaitReport("m-1", "failed"));
    assertThat(error.getMessage()).isEqualTo("cancelled");
    assertThat(error.getRetryable()).isFalse();
    assertThat(handler.interrupted).containsExactly("m-1");
    assertThat(handler.contexts.get("m-1").isCancelled()).isTrue();
    assertThat(fixture.kinds("m-1")).containsExactly("failed");
    fixture.awaitCommitted(fixture.p0, 2);
  }

  @Test
  void reportsCancelledEvenIfTheHandlerIgnoresTheInterruptAndReturns() throws Exception {
    CountDownLatch running = new CountDownLatch(1);
    AtomicBoolean returned = new AtomicBoolean();
    fixture.open(context -> {
      running.countDown();
      while (!context.isCancelled()) {
        Thread.onSpinWait();
      }
      returned.set(true);
      return StageResult.finished();
    });
    fixture.send(run("m-1", "load"));
    assertThat(running.await(Await.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();

    fixture.send(cancel("m-1", "load"));

    assertThat(error(fixture.awaitReport("m-1", "failed")).getMessage()).isEqualTo("cancelled");
    assertThat(returned).isTrue();
    assertThat(fixture.kinds("m-1")).containsExactly("failed");
  }

  @Test
  void answersAWaitingRunWithCancelledWithoutRunningIt() {
    fixture.open(handler);
    fixture.send(run("m-1", "load"));
    handler.awaitCalls(1);
    fixture.send(run("m-2", "load"));

    fixture.send(cancel("m-2", "load"));

    assertThat(error(fixture.awaitReport("m-2", "failed")).getMessage()).isEqualTo("cancelled");
    assertThat(fixture.kinds("m-2")).containsExactly("failed");
    handler.open();
    fixture.awaitCommitted(fixture.p0, 3);
    assertThat(handler.calls).containsExactly("m-1");
  }

  @Test
  void ignoresACancelForAnAttemptNotRunningHere() {
    fixture.open(handler);
    fixture.send(run("m-1", "load"));
    handler.awaitCalls(1);

    fixture.send(cancel("m-2", "load"));
    fixture.send(cancel("m-1", "load").attempt(2));
    fixture.send(cancel("m-1", "other"));
    Await.until("the cancels are read", () -> fixture.consumer.position(fixture.p0) == 4);

    handler.open();
    fixture.awaitCommitted(fixture.p0, 4);
    assertThat(fixture.kinds("m-1")).containsExactly("finished");
    assertThat(fixture.kinds("m-2")).isEmpty();
    assertThat(handler.interrupted).isEmpty();
  }

  @Test
  void doesNotLetACancelsInterruptLeakIntoTheNextAttemptOnTheSameThread() {
    fixture.open(handler);
    fixture.send(run("m-1", "load"));
    handler.awaitCalls(1);
    fixture.send(cancel("m-1", "load"));
    fixture.awaitReport("m-1", "failed");

    handler.open();
    fixture.send(run("m-2", "load"));

    fixture.awaitReport("m-2", "finished");
    assertThat(handler.interrupted).containsExactly("m-1");
  }

  /**
   * A partition is read again from its last commit after a rebalance, so a CANCEL that came before
   * an attempt's RUN (meant for an earlier mission under the same id) arrives again while it runs.
   */
  @Test
  void ignoresACancelReadAgainAfterARebalanceThatCameBeforeTheRunOfTheRunningAttempt() {
    fixture.open(handler, options -> options.parallelism(2));
    fixture.send(run("m-1", "load"));
    fixture.send(cancel("m-2", "load"));
    fixture.send(run("m-2", "load"));
    handler.awaitCalls(2);

    fixture.rebalanceEagerlyAndRedeliver(0, run("m-1", "load"), cancel("m-2", "load"), run("m-2", "load"));
    handler.open();

    fixture.awaitCommitted(fixture.p0, 3);
    assertThat(handler.interrupted).isEmpty();
    assertThat(fixture.kinds("m-2")).containsExactly("finished");
  }

  /**
   * Every copy of an attempt's RUN is answered by its report: a CANCEL read after the report must not
   * take a copy still waiting behind another RUN for an attempt not yet started, and report it again.
   */
  @Test
  void ignoresACancelReadAfterTheAttemptWasReportedThoughACopyOfItsRunStillWaits() {
    CountDownLatch first = new CountDownLatch(1);
    CountDownLatch third = new CountDownLatch(1);
    Map<String, CountDownLatch> gates = Map.of("m-1", first, "m-3", third);
    List<String> calls = new CopyOnWriteArrayList<>();
    fixture.open(context -> {
      calls.add(context.missionId());
      CountDownLatch gate = gates.get(context.missionId());
      if (gate != null && !gate.await(Await.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError("The test never opened the gate of " + context.missionId());
      }
      return StageResult.finished();
    });
    fixture.send(run("m-1", "load"));
    Await.until("m-1 runs", () -> calls.equals(List.of("m-1")));
    fixture.send(run("m-2", "load"));
    fixture.send(run("m-3", "load"));
    fixture.send(run("m-4", "load"));
    fixture.send(run("m-2", "load")); // redelivered: waits behind m-3 and m-4 for the one handler thread
    Await.until("the runs are read", () -> fixture.consumer.position(fixture.p0) == 5);
    first.countDown();
    Await.until("m-2 ran and m-3 runs", () -> calls.equals(List.of("m-1", "m-2", "m-3")));
    fixture.awaitPollLoopTurn(); // m-2's report has been acknowledged

    fixture.send(cancel("m-2", "load"));
    Await.until("the cancel is read", () -> fixture.consumer.position(fixture.p0) == 6);
    fixture.awaitPollLoopTurn();
    third.countDown();

    fixture.awaitCommitted(fixture.p0, 6);
    assertThat(fixture.kinds("m-2")).containsExactly("finished");
  }
}
