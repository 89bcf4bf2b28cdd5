package io.groundcontrol.schedule;

import io.groundcontrol.coordinator.ReadAgain;
import io.groundcontrol.schema.ReadPosition;
import java.time.Instant;

/**
 * Tells a record read again from a new one by its place in its input. The scheduler's three inputs
 * are keyed by schedule name, so one schedule's records sit in one partition of each, and the
 * state keeps, per input, the offset of the last record it handled and the latest timestamp. Under
 * {@code --at-least-once} a crash before the offset commit brings back records whose effects the
 * store already holds; under exactly-once the store and the offsets commit together, so no record
 * comes back and nothing is checked.
 */
final class ReadPositions {
  /** Exactly-once: no record is ever taken as read before. */
  static final ReadPositions EXACTLY_ONCE = new ReadPositions(false);
  /** At-least-once: records at or below the stored position were read before. */
  static final ReadPositions AT_LEAST_ONCE = new ReadPositions(true);

  private final boolean check;

  private ReadPositions(boolean check) {
    this.check = check;
  }

  static ReadPositions of(boolean atLeastOnce) {
    return atLeastOnce ? AT_LEAST_ONCE : EXACTLY_ONCE;
  }

  /** Whether records may be read again, so positions are checked (at-least-once). */
  boolean checked() {
    return check;
  }

  /** Whether {@code read} was handled before, as {@code stored} says ({@link ReadAgain}). */
  boolean readBefore(ReadPosition stored, ReadPosition read) {
    return check && stored != null && read != null && ReadAgain.isReadAgain(stored.getOffset(),
        stored.getLatest().toEpochMilli(), read.getOffset(), read.getLatest().toEpochMilli());
  }

  /** The position once {@code read} is handled too. */
  static ReadPosition after(ReadPosition stored, ReadPosition read) {
    if (read == null) {
      return stored;
    }
    Instant latest = stored == null || read.getLatest().isAfter(stored.getLatest()) ? read.getLatest() : stored.getLatest();
    return new ReadPosition(read.getOffset(), latest);
  }

  /** The place of a record at {@code offset} stamped {@code timestamp}. */
  static ReadPosition at(long offset, Instant timestamp) {
    return new ReadPosition(offset, timestamp);
  }
}
