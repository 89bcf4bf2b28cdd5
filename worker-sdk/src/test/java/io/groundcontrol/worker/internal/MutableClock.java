package io.groundcontrol.worker.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock that moves only when a test moves it: a wall clock, and a monotonic one in nanoseconds
 * (the worker's {@link System#nanoTime()}) that time passing moves with it but a step does not.
 */
final class MutableClock extends Clock {
  private volatile Instant now;
  private volatile long nanoTime;

  MutableClock(Instant start) {
    this.now = start;
  }

  /** Time passes: both clocks move on. */
  void advance(Duration by) {
    if (by.isNegative()) {
      throw new IllegalArgumentException("Time does not pass backwards (" + by + "); see stepWallClock");
    }
    nanoTime += by.toNanos();
    now = now.plus(by);
  }

  /** The wall clock is set, by NTP or by hand: the monotonic clock does not move. */
  void stepWallClock(Duration by) {
    now = now.plus(by);
  }

  long nanoTime() {
    return nanoTime;
  }

  @Override
  public Instant instant() {
    return now;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException();
  }
}
