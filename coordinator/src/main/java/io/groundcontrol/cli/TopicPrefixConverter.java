package io.groundcontrol.cli;

import io.groundcontrol.plan.OneLine;
import io.groundcontrol.schema.wire.TopicNames;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Checks a {@code --topic-prefix} (or {@code --to-prefix}) while the arguments are parsed, so that a
 * bad one is a usage error of one line, not a failure where its topics are first named.
 */
final class TopicPrefixConverter implements ITypeConverter<String> {
  @Override
  public String convert(String value) {
    try {
      new TopicNames(value);
      return value;
    } catch (IllegalArgumentException e) {
      throw new TypeConversionException(OneLine.escape(e.getMessage()));
    }
  }
}
