package io.groundcontrol.api;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The system clock at millisecond precision, but never the same instant twice: each call is at
 * least a millisecond after the previous one, so every command sent through one gateway has a
 * timestamp of its own.
 */
final class UniqueClock extends Clock {
  private final AtomicLong last = new AtomicLong();

  @Override
  public Instant instant() {
    return Instant.ofEpochMilli(millis());
  }

  @Override
  public long millis() {
    long now = System.currentTimeMillis();
    return last.updateAndGet(previous -> Math.max(previous + 1, now));
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException("UniqueClock is UTC only");
  }
}
