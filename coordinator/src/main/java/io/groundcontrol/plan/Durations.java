package io.groundcontrol.plan;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as files write them: {@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h}, {@code 1d}, or ISO-8601 ({@code PT1H}). */
public final class Durations {
  private static final Pattern SHORT_DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

  /**
   * The longest duration a file may give: about 2,738 years, so a "practically never" such as
   * {@code 99999d} works, while a due time (now plus it) stays a few thousand years from now, far
   * within what epoch milliseconds and every record's timestamp can hold.
   */
  public static final Duration MAX = Duration.ofDays(1_000_000);

  /** {@link #MAX} as files write it. */
  public static final String MAX_TEXT = "1000000d";

  /** Stands for a duration written well but beyond anything a long or a {@link Duration} holds. */
  private static final Duration BEYOND = Duration.ofSeconds(Long.MAX_VALUE);

  private Durations() {}

  /** Milliseconds of {@code text}, or null if it is no duration or one longer than {@link #MAX} either way. */
  public static Long millis(String text) {
    Duration duration = parse(text);
    return duration == null || tooLong(duration) ? null : duration.toMillis();
  }

  /** Whether {@code text} is written as a duration but is longer than {@link #MAX} (or shorter than its negation). */
  public static boolean isTooLong(String text) {
    Duration duration = parse(text);
    return duration != null && tooLong(duration);
  }

  /** Whether {@code millis}, a duration a plan built in code or read from Kafka holds, is longer than {@link #MAX} either way. */
  public static boolean isTooLong(long millis) {
    return millis > MAX.toMillis() || millis < -MAX.toMillis();
  }

  /**
   * What is wrong with a duration longer than {@link #MAX}: one message whether the plan was read
   * from a file or built in code.
   *
   * @param got the duration as written: the file's text, or milliseconds in their largest whole unit
   */
  static String tooLongMessage(String got) {
    return "expected a duration of at most " + MAX_TEXT + " (about 2,700 years), but got \"" + got + '"';
  }

  private static boolean tooLong(Duration duration) {
    return duration.compareTo(MAX) > 0 || duration.compareTo(MAX.negated()) < 0;
  }

  /** The duration {@code text} is written as, {@link #BEYOND} if too long for any type, or null if none. */
  private static Duration parse(String text) {
    Matcher matcher = SHORT_DURATION.matcher(text.trim().toLowerCase(Locale.ROOT));
    try {
      if (matcher.matches()) {
        long amount = Long.parseLong(matcher.group(1));
        return switch (matcher.group(2)) {
          case "ms" -> Duration.ofMillis(amount);
          case "s" -> Duration.ofSeconds(amount);
          case "m" -> Duration.ofMinutes(amount);
          case "h" -> Duration.ofHours(amount);
          default -> Duration.ofDays(amount);
        };
      }
      return Duration.parse(text.trim());
    } catch (NumberFormatException | ArithmeticException e) {
      // More digits than a long holds, or more seconds than a Duration does.
      return BEYOND;
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /** {@code duration} as files write it, in its largest whole unit: {@code 7d}, {@code 90s}, {@code 1500ms}. */
  public static String text(Duration duration) {
    long ms = duration.toMillis();
    if (ms > 0 && ms % 86_400_000 == 0) {
      return ms / 86_400_000 + "d";
    } else if (ms > 0 && ms % 3_600_000 == 0) {
      return ms / 3_600_000 + "h";
    } else if (ms > 0 && ms % 60_000 == 0) {
      return ms / 60_000 + "m";
    } else if (ms > 0 && ms % 1000 == 0) {
      return ms / 1000 + "s";
    }
    return ms + "ms";
  }
}
