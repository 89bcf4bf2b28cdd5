package io.groundcontrol.plan;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as files write them: {@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h}, {@code 1d}, or ISO-8601 ({@code PT1H}). */
public final class Durations {
  private static final Pattern SHORT_DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

  private Durations() {}

  /** Milliseconds of {@code text}, or null if it is no duration. */
  public static Long millis(String text) {
    Matcher matcher = SHORT_DURATION.matcher(text.trim().toLowerCase(Locale.ROOT));
    if (matcher.matches()) {
      long amount = Long.parseLong(matcher.group(1));
      return switch (matcher.group(2)) {
        case "ms" -> amount;
        case "s" -> Duration.ofSeconds(amount).toMillis();
        case "m" -> Duration.ofMinutes(amount).toMillis();
        case "h" -> Duration.ofHours(amount).toMillis();
        default -> Duration.ofDays(amount).toMillis();
      };
    }
    try {
      return Duration.parse(text.trim()).toMillis();
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
