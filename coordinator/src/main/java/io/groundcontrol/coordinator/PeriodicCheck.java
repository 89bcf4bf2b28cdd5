package io.groundcontrol.coordinator;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A check run on a daemon thread of its own every interval, and at once when asked: how the
 * coordinator watches the topics of its triggers and its instruction topics.
 */
public final class PeriodicCheck implements AutoCloseable {
  private final String name;
  private final Duration interval;
  private final Consumer<RuntimeException> failed;
  private final Semaphore wake = new Semaphore(0);
  private volatile boolean running = true;
  /** The wait before the next check if shorter than the interval, in ms, or -1. */
  private volatile long nextWaitMs = -1;
  private Thread thread;

  /**
   * @param name the thread's name
   * @param interval the time between two checks
   * @param failed told of a check that threw (the next one runs at the next interval), unless closed meanwhile
   */
  public PeriodicCheck(String name, Duration interval, Consumer<RuntimeException> failed) {
    this.name = name;
    this.interval = interval;
    this.failed = failed;
  }

  /** Runs {@code check} after each interval, or sooner when {@link #now} was called, until closed. */
  public synchronized void start(Runnable check) {
    thread = new Thread(() -> {
      while (running) {
        try {
          long wait = nextWaitMs >= 0 ? Math.min(nextWaitMs, interval.toMillis()) : interval.toMillis();
          nextWaitMs = -1;
          wake.tryAcquire(wait, TimeUnit.MILLISECONDS);
          wake.drainPermits();
          check.run();
        } catch (InterruptedException e) {
          return;
        } catch (RuntimeException e) {
          if (!running) {
            return; // close() interrupted a check, which Kafka's clients report as their InterruptException
          }
          failed.accept(e);
        }
      }
    }, name);
    thread.setDaemon(true);
    thread.start();
  }

  /** Runs the next check at once instead of at the end of the interval (once started, if not yet). */
  public void now() {
    wake.release();
  }

  /** Runs the next check after {@code wait} if that is sooner than the interval: once, for a check that waits on something. */
  public void soon(Duration wait) {
    nextWaitMs = wait.toMillis();
  }

  /** Stops the checks, waiting up to 10 s for one under way. */
  @Override
  public synchronized void close() {
    running = false;
    if (thread != null) {
      thread.interrupt();
      try {
        thread.join(TimeUnit.SECONDS.toMillis(10));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
