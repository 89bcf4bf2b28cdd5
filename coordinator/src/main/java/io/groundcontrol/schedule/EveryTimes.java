package io.groundcontrol.schedule;

import java.time.Instant;
import java.util.Optional;

/** Every {@code step} ms from {@code origin} (epoch ms): counted by arithmetic, never walked. */
record EveryTimes(long step, long origin) implements FireTimes {
  /** The index of the last nominal time at or before {@code at}. */
  private long index(Instant at) {
    return Math.floorDiv(at.toEpochMilli() - origin, step);
  }

  private Instant time(long index) {
    return Instant.ofEpochMilli(origin + index * step);
  }

  @Override
  public Optional<Instant> after(Instant after) {
    return Optional.of(time(index(after) + 1));
  }

  @Override
  public Span span(Instant after, Instant until) {
    long first = index(after) + 1;
    long last = index(until);
    return last < first ? Span.NONE : new Span(last - first + 1, time(first), time(last));
  }

  @Override
  public Optional<Instant> nth(Instant after, long k) {
    return Optional.of(time(index(after) + k));
  }
}
