package io.groundcontrol.cli;

import io.groundcontrol.plan.Durations;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads {@code --retention} and {@code --results-retention}: a duration as plans write it ({@code
 * 12h}, {@code 30d}), or {@code 0} for ever.
 */
final class RetentionConverter implements ITypeConverter<Duration> {
  @Override
  public Duration convert(String value) {
    if ("0".equals(value.trim())) {
      return Duration.ZERO;
    }
    Long millis = Durations.millis(value);
    if (millis == null || millis < 0) {
      throw new TypeConversionException(
          "Expected a duration such as 12h or 30d, or 0 (for ever), but got '" + value + "'");
    }
    return Duration.ofMillis(millis);
  }
}
