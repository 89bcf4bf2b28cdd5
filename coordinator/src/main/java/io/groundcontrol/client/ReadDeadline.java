package io.groundcontrol.client;

import java.time.Duration;

/** When a read of a log must be over; {@link #NONE} for a tool that may take as long as the log needs. */
final class ReadDeadline {
  /** No limit; a single call to Kafka still waits at most {@link #CALL_TIMEOUT}. */
  static final ReadDeadline NONE = new ReadDeadline(null, 0);
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(60);

  private final Duration limit;
  private final long endNanos;

  private ReadDeadline(Duration limit, long endNanos) {
    this.limit = limit;
    this.endNanos = endNanos;
  }

  /** A deadline {@code limit} from now. */
  static ReadDeadline in(Duration limit) {
    return new ReadDeadline(limit, System.nanoTime() + limit.toNanos());
  }

  /** A deadline at {@code endNanos} ({@link System#nanoTime()}), set with {@code limit}. */
  static ReadDeadline at(long endNanos, Duration limit) {
    return new ReadDeadline(limit, endNanos);
  }

  /** The limit this deadline was set with; null for {@link #NONE}. */
  Duration limit() {
    return limit;
  }

  boolean passed() {
    return limit != null && System.nanoTime() - endNanos >= 0;
  }

  /** How long a call to Kafka may wait: what is left, at most {@code cap}. */
  Duration remaining(Duration cap) {
    if (limit == null) {
      return cap.compareTo(CALL_TIMEOUT) < 0 ? cap : CALL_TIMEOUT;
    }
    Duration left = Duration.ofNanos(Math.max(0, endNanos - System.nanoTime()));
    return left.compareTo(cap) < 0 ? left : cap;
  }

  /** How long a call to Kafka may wait: what is left. */
  Duration remaining() {
    return remaining(CALL_TIMEOUT);
  }
}
