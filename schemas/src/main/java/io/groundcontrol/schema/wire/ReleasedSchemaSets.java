package io.groundcontrol.schema.wire;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;

/**
 * The {@link SchemaSet} of every build since builds name theirs (2026-12-07), oldest first, with the
 * version of each record type it writes: the checked-in table {@value #RESOURCE}. A build knows from
 * it which versions an older build reads, to write those ({@link WrittenSchemas}), and which of two
 * builds is the older. Sets of builds from before the table are unknown.
 */
public final class ReleasedSchemaSets {
  /** Where the table lives on the class path. */
  public static final String RESOURCE = "io/groundcontrol/schema/released-schema-sets.txt";

  private static final Pattern LINE = Pattern.compile("([0-9a-f]{8}): (.+)");
  private static final Pattern VERSION = Pattern.compile("([A-Za-z]+) v([1-9][0-9]*)");
  private static final List<Release> ALL = load();

  /**
   * One released set.
   *
   * @param set its id
   * @param versions each record type's simple name and the version it writes, the number of its
   *     file in {@link SchemaHistory}
   */
  public record Release(SchemaSet set, Map<String, Integer> versions) {
    /** Copies the versions. */
    public Release {
      versions = Map.copyOf(versions);
    }

    /** The schema this set writes {@code type} with; empty if it has no such record type. */
    public Optional<Schema> schemaOf(Class<? extends SpecificRecord> type) {
      Integer version = versions.get(type.getSimpleName());
      List<Schema> history = SchemaHistory.of(type);
      return version == null || version > history.size() ? Optional.empty() : Optional.of(history.get(version - 1));
    }

    /** The version of {@code type} this set writes, 0 if none. */
    public int versionOf(Class<? extends SpecificRecord> type) {
      return versions.getOrDefault(type.getSimpleName(), 0);
    }
  }

  private ReleasedSchemaSets() {}

  /** Every released set, oldest first. */
  public static List<Release> all() {
    return ALL;
  }

  /** The release of {@code set}, if the table has it. */
  public static Optional<Release> find(SchemaSet set) {
    return ALL.stream().filter(release -> release.set().equals(set)).findFirst();
  }

  /**
   * Whether a build that writes {@code newer} reads records of {@code written}: both are in the
   * table and {@code written} is not the later one. A build reads what it and every older build
   * writes ({@link SchemaHistory}).
   */
  public static boolean reads(SchemaSet newer, SchemaSet written) {
    int reader = indexOf(newer);
    int writer = indexOf(written);
    return reader >= 0 && writer >= 0 && writer <= reader;
  }

  /** The ids of the table's sets, oldest first, for messages. */
  public static String ids() {
    return ALL.stream().map(release -> release.set().id()).collect(Collectors.joining(", "));
  }

  /** The table line of the set this build writes, as {@link #RESOURCE} needs it. */
  public static String lineOfCurrent() {
    return SchemaSet.current().id() + ": " + String.join(", ", SchemaSet.versions());
  }

  private static int indexOf(SchemaSet set) {
    for (int i = 0; i < ALL.size(); i++) {
      if (ALL.get(i).set().equals(set)) {
        return i;
      }
    }
    return -1;
  }

  private static List<Release> load() {
    List<Release> releases = new ArrayList<>();
    int number = 0;
    for (String line : read().split("\n")) {
      number++;
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      Matcher matcher = LINE.matcher(line.strip());
      if (!matcher.matches()) {
        throw new IllegalStateException("Expected line " + number + " of " + RESOURCE
            + " to read 'ID: Type vN, Type vN, ...', but it reads '" + line + "'");
      }
      Map<String, Integer> versions = new LinkedHashMap<>();
      for (String part : matcher.group(2).split(", ")) {
        Matcher version = VERSION.matcher(part);
        if (!version.matches()) {
          throw new IllegalStateException("Expected 'Type vN' in line " + number + " of " + RESOURCE + ", but got '"
              + part + "'");
        }
        versions.put(version.group(1), Integer.parseInt(version.group(2)));
      }
      releases.add(new Release(new SchemaSet(matcher.group(1)), versions));
    }
    return List.copyOf(releases);
  }

  private static String read() {
    try (InputStream in = ReleasedSchemaSets.class.getClassLoader().getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("Expected " + RESOURCE + " on the class path, but it is missing");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("Could not read " + RESOURCE, e);
    }
  }
}
