package io.groundcontrol.testing;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Waits for a condition with a deadline: tests poll the outcome instead of sleeping a guessed time. */
public final class Poll {
  private Poll() {}

  /**
   * Checks {@code condition} every half second until it holds.
   *
   * @throws AssertionError naming {@code what} if it does not within {@code timeout}
   */
  public static void until(BooleanSupplier condition, Duration timeout, String what) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("Timed out after " + timeout + " waiting for " + what);
      }
      // Polling pace, not synchronisation: the condition decides.
      LockSupport.parkNanos(Duration.ofMillis(500).toNanos());
    }
  }
}
