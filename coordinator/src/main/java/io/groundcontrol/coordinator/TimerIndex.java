package io.groundcontrol.coordinator;

import io.groundcontrol.mission.TimerFired;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Timers ordered by due time in a state store, so finding the due ones is one range scan from the
 * start, whatever the number of missions. Keys are {@code due|kind|attempt|stage|missionId}, the
 * due time written so that byte order is time order (see {@link #due}); stage names cannot hold
 * '|', so the mission id, last, may. The value is {@code @<millis>}, when the timer's mission
 * started (timers stored before it was kept hold the mission id there).
 *
 * <p>Scans name both bounds. Kafka Streams 4.4.0's transactional RocksDB store (KIP-892, {@code
 * enable.transactional.statestores}) drops the upper bound of a range whose lower bound is null
 * for its committed entries, which fired timeouts seconds early.
 */
final class TimerIndex {
  /** Digits of a due time from 1970 to 2286, the layout every timer had before later ones were kept apart. */
  private static final int DUE_DIGITS = 13;
  private static final long FIRST_LATER = 10_000_000_000_000L;
  /** Digits of any long's magnitude. */
  private static final int WIDE_DIGITS = 19;
  /** Starts a due time from 2286 on: after every digit, so after every earlier timer. */
  private static final char LATER = '~';
  /** Starts a due time before 1970: before every digit, so before every later timer. */
  private static final char BEFORE_1970 = '-';
  /** The least key: every timer's key starts with its due time's digits. */
  private static final String FIRST = "";
  /** Greater than every key: each starts with a digit, {@link #LATER} or {@link #BEFORE_1970}. */
  private static final String LAST = "\uffff";
  /** Starts a value holding when the timer's mission started; a value stored before that is the mission id. */
  private static final String STARTED = "@";

  private final KeyValueStore<String, String> store;

  TimerIndex(KeyValueStore<String, String> store) {
    this.store = store;
  }

  void add(TimerFired timer) {
    store.put(key(timer), value(timer));
  }

  /**
   * Throws if {@link #add} could not store {@code timer}: its times must be epoch milliseconds, so
   * up to about the year 292,278,994. Plan files cannot ask for more; a plan built in code can.
   *
   * @throws IllegalArgumentException saying which timer and when it would be due
   */
  static void requireStorable(TimerFired timer) {
    try {
      key(timer);
      value(timer);
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("Expected timer " + timer.kind() + " of stage '" + timer.stage()
          + "' (attempt " + timer.attempt() + ") to be due by " + Instant.ofEpochMilli(Long.MAX_VALUE)
          + ", the latest a timer can be kept for, but it is due at " + timer.dueAt(), e);
    }
  }

  private static String value(TimerFired timer) {
    return timer.missionStartedAt() == null ? timer.missionId() : STARTED + timer.missionStartedAt().toEpochMilli();
  }

  /** Removes and returns up to {@code limit} timers due at or before {@code now}, earliest first. */
  List<TimerFired> takeDue(Instant now, int limit) {
    List<TimerFired> due = new ArrayList<>();
    try (KeyValueIterator<String, String> it = store.range(FIRST, upTo(now))) {
      while (it.hasNext() && due.size() < limit) {
        KeyValue<String, String> entry = it.next();
        due.add(parse(entry.key, entry.value));
      }
    }
    due.forEach(timer -> store.delete(key(timer)));
    return due;
  }

  /**
   * Reads up to {@code limit} timers in key order, from the first due after {@code now} if {@code
   * after} is null, else from the first key after {@code after}; removes those {@code outlived}
   * says can never act. Returns the key of the last one read, or null if no timer is left after it.
   * Timers due by {@code now} are not started from: they are being fired, and their removed keys
   * wait in RocksDB as deletes until compaction.
   */
  String removeOutlived(String after, Instant now, int limit, Predicate<TimerFired> outlived) {
    List<String> gone = new ArrayList<>();
    String last = null;
    String from = after == null ? due(now.toEpochMilli() + 1) : after + "\0";
    try (KeyValueIterator<String, String> it = store.range(from, LAST)) {
      for (int read = 0; read < limit && it.hasNext(); read++) {
        KeyValue<String, String> entry = it.next();
        last = entry.key;
        if (outlived.test(parse(entry.key, entry.value))) {
          gone.add(entry.key);
        }
      }
      if (!it.hasNext()) {
        last = null;
      }
    }
    gone.forEach(store::delete);
    return last;
  }

  /** Whether some timer is due at or before {@code now}. */
  boolean hasDue(Instant now) {
    try (KeyValueIterator<String, String> it = store.range(FIRST, upTo(now))) {
      return it.hasNext();
    }
  }

  /** The greatest key of a timer due at or before {@code now}. */
  private static String upTo(Instant now) {
    return due(now.toEpochMilli()) + "|\uffff";
  }

  static String key(TimerFired timer) {
    return due(timer.dueAt().toEpochMilli()) + "|" + timer.kind() + "|" + timer.attempt() + "|" + timer.stage() + "|"
        + timer.missionId();
  }

  static TimerFired parse(String key, String value) {
    String[] parts = key.split("\\|", 5);
    String missionId = parts[4];
    Instant missionStartedAt = value.equals(missionId) || !value.startsWith(STARTED) ? null
        : Instant.ofEpochMilli(Long.parseLong(value.substring(STARTED.length())));
    return new TimerFired(missionId, parts[3], Integer.parseInt(parts[2]), TimerFired.Kind.valueOf(parts[1]),
        Instant.ofEpochMilli(dueMillis(parts[0])), missionStartedAt);
  }

  /**
   * A due time as its key begins, in the order of time for every long: from 1970 to 2286, 13
   * digits, as every timer was stored before (so those read as they were); later, {@code ~} and
   * 19 digits; before 1970 (no input's timestamp is), {@code -} and 19 digits of its distance from
   * {@link Long#MIN_VALUE}.
   */
  private static String due(long millis) {
    if (millis < 0) {
      return BEFORE_1970 + pad(millis - Long.MIN_VALUE, WIDE_DIGITS);
    }
    return millis < FIRST_LATER ? pad(millis, DUE_DIGITS) : LATER + pad(millis, WIDE_DIGITS);
  }

  private static long dueMillis(String due) {
    return switch (due.charAt(0)) {
      case LATER -> Long.parseLong(due.substring(1));
      case BEFORE_1970 -> Long.parseLong(due.substring(1)) + Long.MIN_VALUE;
      default -> Long.parseLong(due);
    };
  }

  private static String pad(long millis, int digits) {
    String text = Long.toString(millis);
    return "0".repeat(Math.max(0, digits - text.length())) + text;
  }
}
