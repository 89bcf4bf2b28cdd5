package io.groundcontrol.schema.wire;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.avro.AvroTypeException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;
import org.apache.avro.SchemaCompatibility.SchemaIncompatibilityType;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.DecoderFactory;

/**
 * Re-encodes records of a type's current schema with one of its older versions, for an older build
 * to read. The conversion is Avro's schema resolution with the older version as the reader: by field
 * name, recursively through records, unions, arrays and maps, enums by symbol. A field the older
 * version lacks is dropped ({@link #dropped()}). What the older version cannot hold at all (a field
 * of its own without a default, a changed type) is refused when the conversion is made; a value it
 * cannot hold (an enum symbol or a union branch it lacks) is refused for that record, by
 * {@link #encode(byte[])} throwing, never written as another value.
 */
final class OlderVersion {
  /** Mismatches that only some values meet: refused per record, not for the whole type. */
  private static final Set<SchemaIncompatibilityType> PER_VALUE =
      Set.of(SchemaIncompatibilityType.MISSING_ENUM_SYMBOLS, SchemaIncompatibilityType.MISSING_UNION_BRANCH);

  private final String name;
  private final int version;
  private final byte[] header;
  private final GenericDatumReader<Object> resolving;
  private final GenericDatumWriter<Object> writer;
  private final List<String> dropped;

  private OlderVersion(String name, Schema current, Schema older, int version) {
    this.name = name;
    this.version = version;
    this.header = AvroCodec.header(SchemaNormalization.parsingFingerprint64(older));
    // Without logical-type conversions: timestamps stay the longs they are on the wire.
    this.resolving = new GenericDatumReader<>(current, older, GenericData.get());
    this.writer = new GenericDatumWriter<>(older, GenericData.get());
    this.dropped = List.copyOf(droppedFields(current, older, current.getName(), new HashSet<>()));
  }

  /**
   * The conversion of {@code current} records to {@code older}, version {@code version} of the record.
   *
   * @throws IllegalArgumentException if the older version cannot hold such a record whatever its
   *     values, naming what it lacks
   */
  static OlderVersion of(Schema current, Schema older, int version) {
    List<Incompatibility> always = SchemaCompatibility.checkReaderWriterCompatibility(older, current).getResult()
        .getIncompatibilities().stream().filter(problem -> !PER_VALUE.contains(problem.getType())).toList();
    if (!always.isEmpty()) {
      throw new IllegalArgumentException("Cannot write " + current.getName() + " as its version " + version + ": "
          + always.stream().map(problem -> problem.getMessage() + " at " + problem.getLocation())
              .collect(Collectors.joining("; ")));
    }
    return new OlderVersion(current.getName(), current, older, version);
  }

  /** The version written, the number of its file in {@link SchemaHistory}. */
  int version() {
    return version;
  }

  /**
   * The fields of the current schema the older version has no place for, as paths from the record
   * ({@code MissionState.stages[].fanOut.queuedForSlot}): what a record loses on the way.
   */
  List<String> dropped() {
    return dropped;
  }

  /**
   * {@code currentBytes}, a record single-object encoded with the current schema, encoded with the
   * older version.
   *
   * @throws AvroTypeException if a value has no counterpart in the older version (an enum symbol or
   *     a union branch it lacks)
   */
  byte[] encode(byte[] currentBytes) {
    try {
      Object older = resolving.read(null, DecoderFactory.get()
          .binaryDecoder(currentBytes, AvroCodec.HEADER_LENGTH, currentBytes.length - AvroCodec.HEADER_LENGTH, null));
      EncodeBuffer buffer = EncodeBuffer.forCurrentThread();
      buffer.write(header, 0, AvroCodec.HEADER_LENGTH);
      writer.write(older, buffer.encoder());
      return buffer.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException("Could not encode " + name + " as its version " + version, e);
    }
  }

  private static List<String> droppedFields(Schema current, Schema older, String path, Set<String> seen) {
    List<String> dropped = new ArrayList<>();
    switch (current.getType()) {
      case RECORD -> {
        if (older.getType() != Schema.Type.RECORD || !seen.add(current.getFullName())) {
          return dropped;
        }
        for (Schema.Field field : current.getFields()) {
          Schema.Field kept = older.getField(field.name());
          if (kept == null) {
            dropped.add(path + "." + field.name());
          } else {
            dropped.addAll(droppedFields(field.schema(), kept.schema(), path + "." + field.name(), seen));
          }
        }
      }
      case ARRAY -> {
        if (older.getType() == Schema.Type.ARRAY) {
          dropped.addAll(droppedFields(current.getElementType(), older.getElementType(), path + "[]", seen));
        }
      }
      case MAP -> {
        if (older.getType() == Schema.Type.MAP) {
          dropped.addAll(droppedFields(current.getValueType(), older.getValueType(), path + "{}", seen));
        }
      }
      case UNION -> {
        for (Schema branch : current.getTypes()) {
          Schema match = matchingBranch(branch, older);
          if (match != null) {
            String where = branch.getType() == Schema.Type.RECORD && current.getTypes().size() > 2
                ? path + "(" + branch.getName() + ")" : path;
            dropped.addAll(droppedFields(branch, match, where, seen));
          }
        }
      }
      default -> {
        // A primitive, enum or fixed has no fields to lose; a lost enum symbol is refused per value.
      }
    }
    return dropped;
  }

  private static Schema matchingBranch(Schema branch, Schema older) {
    List<Schema> candidates = older.getType() == Schema.Type.UNION ? older.getTypes() : List.of(older);
    for (Schema candidate : candidates) {
      boolean named = branch.getType() == Schema.Type.RECORD || branch.getType() == Schema.Type.ENUM
          || branch.getType() == Schema.Type.FIXED;
      if (candidate.getType() == branch.getType() && (!named || candidate.getFullName().equals(branch.getFullName()))) {
        return candidate;
      }
    }
    return null;
  }
}
