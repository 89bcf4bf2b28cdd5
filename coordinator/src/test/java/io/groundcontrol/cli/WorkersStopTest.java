package io.groundcontrol.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.worker.api.Worker;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** When {@code groundcontrol workers} says a worker stopped, and when it does not. */
class WorkersStopTest {
  private static final Duration POLL = Duration.ofMillis(10);

  /**
   * A SIGTERM to {@code groundcontrol workers}: its shutdown hook closes the workers, and the command
   * saw them closed before the hook was done, printing "error: a worker stopped (see the line
   * above); stopping the others" under no line that said why, and exiting 1.
   */
  @Test
  void workersClosedByTheShutdownHookAreNoError() throws InterruptedException {
    CountDownLatch stopped = new CountDownLatch(1);
    ClosedWorker closing = new ClosedWorker();
    // The hook has closed the worker and not yet counted down: the command looks once, then the hook is done.
    AtomicBoolean looked = new AtomicBoolean();

    String[] err = new String[1];
    int exit = errOf(err, () -> WorkersCommand.awaitStop(List.of(closing), stopped, () -> {
      if (looked.getAndSet(true)) {
        stopped.countDown();
      }
      return true;
    }, POLL));

    assertThat(exit).isZero();
    assertThat(err[0]).isEmpty();
  }

  @Test
  void aWorkerThatStoppedByItselfStopsTheOthersAndExits1() throws InterruptedException {
    ClosedWorker refused = new ClosedWorker();
    ClosedWorker other = new ClosedWorker();
    other.open = true;

    String[] err = new String[1];
    int exit = errOf(err, () -> WorkersCommand.awaitStop(List.of(refused, other), new CountDownLatch(1), () -> false,
        POLL));

    assertThat(exit).isEqualTo(1);
    assertThat(err[0]).contains("error: a worker stopped (see the line above); stopping the others");
    assertThat(other.open).isFalse();
  }

  private interface Wait {
    int run() throws InterruptedException;
  }

  private static int errOf(String[] err, Wait wait) throws InterruptedException {
    ByteArrayOutputStream logged = new ByteArrayOutputStream();
    PrintStream stderr = System.err;
    System.setErr(new PrintStream(logged, true, StandardCharsets.UTF_8));
    try {
      return wait.run();
    } finally {
      System.setErr(stderr);
      err[0] = logged.toString(StandardCharsets.UTF_8);
    }
  }

  /** A worker that is closed unless told otherwise. */
  private static final class ClosedWorker implements Worker {
    volatile boolean open;

    @Override
    public String component() {
      return "warehouse";
    }

    @Override
    public String workerId() {
      return "w-1";
    }

    @Override
    public boolean isOpen() {
      return open;
    }

    @Override
    public void close() {
      open = false;
    }
  }
}
