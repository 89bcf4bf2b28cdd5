package io.groundcontrol.cli;

import io.groundcontrol.schema.wire.SchemaSet;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** A record schema id option: 8 hex digits, as {@code groundcontrol --version} prints them. */
final class SchemaSetConverter implements ITypeConverter<SchemaSet> {
  @Override
  public SchemaSet convert(String value) {
    try {
      return new SchemaSet(value);
    } catch (IllegalArgumentException e) {
      throw new TypeConversionException(e.getMessage() + ", as groundcontrol --version prints after 'record schemas'");
    }
  }
}
