package io.groundcontrol.schema.wire;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * Every schema version a record type was ever written with, so that records written by an older
 * release stay readable. Each version is a resource {@code io/groundcontrol/schema/history/<Record>-v<N>.avsc}
 * holding the full resolved schema JSON (as {@code Record.getClassSchema().toString(true)} prints
 * it), numbered 1, 2, 3... without gaps. {@link AvroCodec#of(Class)} registers them all.
 *
 * <p>A change to a record's schema must add the changed schema as the next version; the schemas
 * module's tests fail until it does (docs/audit.md, "Schema changes").
 */
public final class SchemaHistory {
  /** Where the history files live on the class path. */
  public static final String DIRECTORY = "io/groundcontrol/schema/history/";

  private static final Map<Class<?>, List<Schema>> CACHE = new ConcurrentHashMap<>();

  private SchemaHistory() {}

  /**
   * The recorded versions of {@code type}, oldest first; empty if none is recorded.
   *
   * @throws IllegalStateException if a history file does not parse or names another record
   */
  public static List<Schema> of(Class<? extends SpecificRecord> type) {
    return CACHE.computeIfAbsent(type, t -> load(SpecificData.get().getSchema(t)));
  }

  /** The resource name of one version of the record called {@code recordName}. */
  public static String resource(String recordName, int version) {
    return DIRECTORY + recordName + "-v" + version + ".avsc";
  }

  private static List<Schema> load(Schema current) {
    List<Schema> versions = new ArrayList<>();
    for (int version = 1; ; version++) {
      String text = read(resource(current.getName(), version));
      if (text == null) {
        return List.copyOf(versions);
      }
      versions.add(parse(text, current, version));
    }
  }

  private static Schema parse(String text, Schema current, int version) {
    String resource = resource(current.getName(), version);
    Schema schema;
    try {
      schema = new Schema.Parser().parse(text);
    } catch (RuntimeException e) {
      throw new IllegalStateException("Expected " + resource + " to hold an Avro schema, but it does not parse: "
          + e.getMessage(), e);
    }
    if (!schema.getFullName().equals(current.getFullName())) {
      throw new IllegalStateException("Expected " + resource + " to be a version of " + current.getFullName()
          + ", but it is " + schema.getFullName());
    }
    return schema;
  }

  private static String read(String resource) {
    try (InputStream in = SchemaHistory.class.getClassLoader().getResourceAsStream(resource)) {
      return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("Could not read " + resource, e);
    }
  }
}
