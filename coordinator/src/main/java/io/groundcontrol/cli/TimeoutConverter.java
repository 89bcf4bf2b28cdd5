package io.groundcontrol.cli;

import io.groundcontrol.plan.Durations;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Reads a {@code --timeout}: a positive duration as plans write it ({@code 90s}, {@code 5m}) or ISO-8601 ({@code PT5M}). */
final class TimeoutConverter implements ITypeConverter<Duration> {
  @Override
  public Duration convert(String value) {
    Long millis = Durations.millis(value);
    if (millis == null || millis <= 0) {
      throw new TypeConversionException("Expected a duration such as 90s, 5m or PT5M, but got '" + value + "'");
    }
    return Duration.ofMillis(millis);
  }
}
