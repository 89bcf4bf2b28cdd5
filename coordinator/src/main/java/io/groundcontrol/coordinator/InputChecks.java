package io.groundcontrol.coordinator;

import org.apache.kafka.streams.processor.api.Record;

/**
 * Checks of an input record before a processor uses it. A record that fails one is bad input, not
 * a bug: an {@link InvalidInputException}, which the processing exception handler dead-letters
 * with one log line saying where it was and why.
 */
public final class InputChecks {
  /** How much of a key a reason shows: a key may be as large as a record. */
  private static final int SHOWN_KEY_CHARS = 200;

  private InputChecks() {}

  /** The record's value; throws for a tombstone, which no input of a topic that is not a table is. */
  public static <V> V value(Record<?, V> record) {
    if (record.value() == null) {
      throw new InvalidInputException("Expected a record with a value, but got a tombstone: no input is a delete");
    }
    return record.value();
  }

  /**
   * Throws unless {@code key} is {@code expected}.
   *
   * @param meaning what the expected key is, e.g. "the component in the value"
   */
  public static void key(String key, String expected, String meaning) {
    if (!expected.equals(key)) {
      throw new InvalidInputException("Expected record key '" + expected + "' (" + meaning + "), but got " + shown(key));
    }
  }

  /**
   * The record's key; throws if it has none.
   *
   * @param meaning what the key is, e.g. "the schedule name"
   */
  public static String present(String key, String meaning) {
    if (key == null) {
      throw new InvalidInputException("Expected a record key (" + meaning + "), but got none");
    }
    return key;
  }

  /** The key as a reason shows it: quoted, its start only if it is long. */
  static String shown(String key) {
    if (key == null) {
      return "none";
    }
    return key.length() <= SHOWN_KEY_CHARS ? "'" + key + "'"
        : "'" + key.substring(0, SHOWN_KEY_CHARS) + "...' (" + key.length() + " characters)";
  }
}
