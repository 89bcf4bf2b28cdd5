package io.groundcontrol.mission;

import io.groundcontrol.schema.StageError;
import java.util.Map;
import java.util.Optional;

/**
 * Bounds on the text the coordinator takes from commands and reports into its events and store. A
 * mission's record is built from several such texts, and a record Kafka refuses (1 MiB by default)
 * would stop the coordinator's stream thread, and every mission on it, not just this one; each text
 * is bounded where the decision takes it, so that a replay of the events gives the same state.
 */
public final class TextLimits {
  /** The most bytes (UTF-8) of a failed attempt's error message, and of a command's reason; longer ones are cut. */
  public static final int MAX_MESSAGE_BYTES = 8 * 1024;
  /** The most bytes (UTF-8) of a failed attempt's error detail, such as a stack trace; longer ones are cut. */
  public static final int MAX_DETAIL_BYTES = 64 * 1024;
  /** The most bytes (UTF-8, names and values) of a mission's params; a start with more is rejected. */
  public static final int MAX_PARAMS_BYTES = 256 * 1024;

  /** Room kept for the marker a cut text ends with: " ... [cut N of M bytes]" with numbers of up to 19 digits. */
  private static final int MARKER_ROOM = 64;

  private TextLimits() {}

  /**
   * Why params are too large to start a mission with, if they are: they go whole into its
   * {@code MissionStarted} event and its stored record, beside the plan's stage names and later
   * reasons, and a record Kafka refuses would stop the coordinator, not just this mission.
   *
   * @param when what follows the size in the reason, such as how the params were completed; or ""
   */
  public static Optional<String> paramsTooLarge(Map<String, String> params, String when) {
    long size = utf8Length(params);
    return size <= MAX_PARAMS_BYTES ? Optional.empty()
        : Optional.of("Expected params of at most " + MAX_PARAMS_BYTES + " bytes, but they take " + size
            + when + " (names and values, UTF-8); pass large inputs as URIs (a table name, s3://..., gs://...)");
  }

  /** {@code error} with its message and detail cut to their bounds; the same instance if both fit. */
  static StageError capped(StageError error) {
    String message = cut(error.getMessage(), MAX_MESSAGE_BYTES);
    String detail = error.getDetail() == null ? null : cut(error.getDetail(), MAX_DETAIL_BYTES);
    if (message == error.getMessage() && detail == error.getDetail()) {
      return error;
    }
    return new StageError(message, detail, error.getRetryable());
  }

  /**
   * {@code text} if it takes at most {@code maxBytes} in UTF-8; else as much of its start as fits
   * with a marker saying how many bytes were cut, never splitting a character. Null stays null.
   */
  public static String cut(String text, int maxBytes) {
    if (text == null || text.length() * 3L <= maxBytes) {
      return text;
    }
    long total = utf8Length(text);
    if (total <= maxBytes) {
      return text;
    }
    int keep = maxBytes - MARKER_ROOM;
    int bytes = 0;
    int end = 0;
    while (end < text.length()) {
      int codePoint = text.codePointAt(end);
      int size = utf8Length(codePoint);
      if (bytes + size > keep) {
        break;
      }
      bytes += size;
      end += Character.charCount(codePoint);
    }
    return text.substring(0, end) + " ... [cut " + (total - bytes) + " of " + total + " bytes]";
  }

  /** Bytes of {@code text} in UTF-8, counted without encoding it. */
  public static long utf8Length(String text) {
    long bytes = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x80) {
        bytes += 1;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
        bytes += 4;
        i++;
      } else {
        bytes += 3;
      }
    }
    return bytes;
  }

  /** Bytes of names and values in UTF-8, as the outputs and params limits count them. */
  public static long utf8Length(Map<String, String> text) {
    long bytes = 0;
    for (Map.Entry<String, String> entry : text.entrySet()) {
      bytes += utf8Length(entry.getKey()) + utf8Length(entry.getValue());
    }
    return bytes;
  }

  private static int utf8Length(int codePoint) {
    return codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
  }
}
