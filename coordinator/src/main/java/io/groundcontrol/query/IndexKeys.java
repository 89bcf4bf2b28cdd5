package io.groundcontrol.query;

import io.groundcontrol.schema.MissionStatus;
import java.time.Instant;

/**
 * Keys of the mission index store. Each mission is listed under two prefixes: by status
 * ({@code s}) and by status and plan ({@code sp}), so that a list of one status is one range
 * scan and a list of every status (all missions, or all of a plan) is a merge of one range per
 * status. Within a prefix, keys end with the start time inverted (newest first) and the mission
 * id, so a range is also the list's order, every range has the same order, and a page is a
 * continuation from the last position read. Which status entries a status change moves, the
 * saver knows from the mission it loaded. (Stores of earlier releases also hold entries that
 * nothing reads or writes any more: {@code m} naming a mission's status, {@code a} listing every
 * mission and {@code p} listing by plan; two writes of eight per mission were theirs.)
 *
 * <p>Parts are separated by NUL, which sorts before every other character and which neither
 * mission ids nor plan names may contain, so {@code sp/RUNNING/a} never continues into
 * {@code sp/RUNNING/ab}.
 */
final class IndexKeys {
  static final char SEP = '\u0000';
  /** Sorts after every character a key part may hold: the end of a prefix's range. */
  static final char END = '\uffff';
  private static final char[] HEX_DIGITS = "0123456789abcdef".toCharArray();

  private IndexKeys() {}

  static String status(MissionStatus status, Instant startedAt, String missionId) {
    return statusPrefix(status) + position(startedAt, missionId);
  }

  static String statusAndPlan(MissionStatus status, String plan, Instant startedAt, String missionId) {
    return statusAndPlanPrefix(status, plan) + position(startedAt, missionId);
  }

  static String statusPrefix(MissionStatus status) {
    return "s" + SEP + status.name() + SEP;
  }

  static String statusAndPlanPrefix(MissionStatus status, String plan) {
    return "sp" + SEP + status.name() + SEP + plan + SEP;
  }

  /**
   * Where a mission stands in every list: start time inverted, so that the newest sorts first, as
   * 16 hex digits, then its id. The same in every prefix, which makes it a cursor for any filter.
   */
  static String position(Instant startedAt, String missionId) {
    return inverted(startedAt) + SEP + missionId;
  }

  /** The start time as it sorts: later times give smaller strings. */
  static String inverted(Instant startedAt) {
    return inverted(startedAt.toEpochMilli());
  }

  /** {@link #inverted(Instant)} of a time in milliseconds since the epoch; times before it sort as it. */
  static String inverted(long epochMillis) {
    // By hand rather than String.format("%016x"): every mission's start and end build these keys,
    // and the format string is parsed with a regex on each call (5% of the stream thread's CPU).
    long value = Long.MAX_VALUE - Math.max(0, epochMillis);
    char[] digits = new char[16];
    for (int i = digits.length - 1; i >= 0; i--) {
      digits[i] = HEX_DIGITS[(int) (value & 0xf)];
      value >>>= 4;
    }
    return new String(digits);
  }

  /** The mission id at the end of an index key. */
  static String missionIdOf(String key) {
    return key.substring(key.lastIndexOf(SEP) + 1);
  }

  /** The position part of an index key under {@code prefix}. */
  static String positionOf(String key, String prefix) {
    return key.substring(prefix.length());
  }
}
