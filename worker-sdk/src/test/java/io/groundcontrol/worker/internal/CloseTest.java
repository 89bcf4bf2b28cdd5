package io.groundcontrol.worker.internal;

import static io.groundcontrol.worker.internal.WorkerFixture.error;
import static io.groundcontrol.worker.internal.WorkerFixture.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.schema.StageError;
import io.groundcontrol.worker.api.StageResult;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Close stops reading, waits for running handlers up to the close timeout, interrupts the rest. */
class CloseTest {
  private final WorkerFixture fixture = new WorkerFixture();
  private final GatedHandler handler = new GatedHandler();

  @AfterEach
  void close() {
    handler.open();
    fixture.close();
  }

  /**
   * Also with a timeout of forever, whose nanoseconds once overflowed a long: the poll thread died,
   * and close() neither waited nor committed nor closed the clients.
   */
  @ParameterizedTest
  @MethodSource("longCloseTimeouts")
  void waitsForARunningHandlerThenReportsCommitsAndClosesTheClients(Duration closeTimeout) throws Exception {
    fixture.open(handler, options -> options.closeTimeout(closeTimeout));
    fixture.send(run("m-1", "load"));
    handler.awaitCalls(1);

    CompletableFuture<Void> closing = CompletableFuture.runAsync(fixture.worker::close);
    Await.until("the worker is closing", () -> !fixture.worker.isOpen());
    assertThat(closing).isNotDone();
    assertThat(fixture.consumer.closed()).isFalse();
    handler.open();
    closing.get(Await.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);

    assertThat(fixture.kinds("m-1")).containsExactly("finished");
    assertThat(fixture.committed(fixture.p0)).isEqualTo(1);
    assertThat(fixture.consumer.closed()).isTrue();
    assertThat(fixture.producer.closed()).isTrue();
    assertThat(handler.interrupted).isEmpty();
  }

  static List<Duration> longCloseTimeouts() {
    return List.of(Await.TIMEOUT, ChronoUnit.FOREVER.getDuration());
  }

  @Test
  void interruptsHandlersStillRunningAfterTheCloseTimeoutAndReportsThemRetryable() {
    fixture.open(handler, options -> options.closeTimeout(Duration.ZERO));
    fixture.send(run("m-1", "load"));
    handler.awaitCalls(1);

    fixture.worker.close();

    StageError error = error(fixture.awaitReport("m-1", "failed"));
    assertThat(error.getMessage()).isEqualTo("Worker worker-1 closed before the stage finished");
    assertThat(error.getRetryable()).isTrue();
    assertThat(fixture.kinds("m-1")).containsExactly("failed");
    assertThat(handler.contexts.get("m-1").isCancelled()).isTrue();
    Await.until("the handler is interrupted", () -> handler.interrupted.contains("m-1"));
    assertThat(fixture.committed(fixture.p0)).isEqualTo(1);
  }

  @Test
  void ignoresWhatAnInterruptedHandlerReturnsAfterTheWorkerReportedIt() throws Exception {
    CountDownLatch running = new CountDownLatch(1);
    CountDownLatch returned = new CountDownLatch(1);
    fixture.open(context -> {
      running.countDown();
      try {
        Thread.sleep(Await.TIMEOUT.toMillis());
      } catch (InterruptedException e) {
        // The worker marked the attempt done before interrupting, so this result comes too late.
      }
      returned.countDown();
      return StageResult.finished();
    }, options -> options.closeTimeout(Duration.ZERO));
    fixture.send(run("m-1", "load"));
    assertThat(running.await(Await.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();

    fixture.worker.close();

    assertThat(returned.await(Await.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
    assertThat(fixture.kinds("m-1")).containsExactly("failed");
  }

  @Test
  void leavesRunsWaitingForAHandlerUncommitted() {
    fixture.open(handler, options -> options.closeTimeout(Await.TIMEOUT));
    fixture.send(run("m-1", "load"));
    handler.awaitCalls(1);
    fixture.send(run("m-2", "load"));
    Await.until("m-2 is read", () -> fixture.consumer.position(fixture.p0) == 2);

    CompletableFuture<Void> closing = CompletableFuture.runAsync(fixture.worker::close);
    Await.until("the worker is closing", () -> !fixture.worker.isOpen());
    handler.open();
    closing.join();

    assertThat(handler.calls).containsExactly("m-1");
    assertThat(fixture.kinds("m-2")).isEmpty();
    assertThat(fixture.committed(fixture.p0)).isEqualTo(1);
  }

  @Test
  void isIdempotent() {
    handler.open();
    fixture.open(handler);

    fixture.worker.close();
    fixture.worker.close();

    assertThat(fixture.worker.isOpen()).isFalse();
    assertThat(fixture.consumer.closed()).isTrue();
  }

  @Test
  void canBeCalledFromAHandlerWithoutWaitingForItself() throws Exception {
    AtomicReference<Thread> handlerThread = new AtomicReference<>();
    fixture.open(context -> {
      handlerThread.set(Thread.currentThread());
      fixture.worker.close();
      return StageResult.finished();
    });

    fixture.send(run("m-1", "load"));

    fixture.awaitReport("m-1", "finished");
    Await.until("the worker is closed", () -> fixture.producer.closed());
    assertThat(fixture.committed(fixture.p0)).isEqualTo(1);
  }
}
