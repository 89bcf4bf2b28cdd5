package io.groundcontrol.schema.wire;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiConsumer;
import org.apache.avro.AvroTypeException;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * Which schemas this process writes its records with: this build's ({@link SchemaSet#current()}),
 * or, for a rolling upgrade, those of an older build's set ({@link #writeAs}), so that instances of
 * that build still running read every record this one writes. Reading is not affected: a build
 * reads every version it knows.
 *
 * <p>The choice is the process's, not a codec's: every record goes through an {@link AvroCodec},
 * including the shared ones of the coordinator's topology and those its HTTP API writes with, so
 * one setting covers them all and a writer added later cannot miss it. It is made once, before the
 * process writes anything. Left at this build's schemas, it costs {@link AvroCodec#encode} one
 * read of a field.
 */
public final class WrittenSchemas {
  private static volatile Choice chosen;

  /**
   * What writing an older set means for one record type.
   *
   * @param type the record type
   * @param current the version this build writes
   * @param written the version written instead; {@code current} if the older set has no such type
   * @param dropped the fields of the current version the written one has no place for, as paths
   */
  public record Change(Class<? extends SpecificRecord> type, int current, int written, List<String> dropped) {
    /** Copies the list. */
    public Change {
      dropped = List.copyOf(dropped);
    }

    /** One line for a start log: {@code ScheduleCommand v1 for v2, without ScheduleCommand.priority}. */
    public String described() {
      if (written == current) {
        return type.getSimpleName() + " v" + current + " (the older set has no " + type.getSimpleName()
            + ": written as this build's)";
      }
      return type.getSimpleName() + " v" + written + " for v" + current
          + (dropped.isEmpty() ? "" : ", without " + String.join(", ", dropped));
    }
  }

  private record Choice(SchemaSet set, Map<Class<?>, OlderVersion> olderVersions,
      BiConsumer<Class<? extends SpecificRecord>, String> keptCurrent) {}

  private WrittenSchemas() {}

  /**
   * From now on, writes every record type with the version {@code set}, an older build's, writes.
   * A record whose values that version cannot hold (an enum symbol or a union branch added since) is
   * written with this build's version instead, and {@code keptCurrent} is told its type and why: an
   * older build dead-letters it, as without this setting, while any other choice would write
   * another value than the record's.
   *
   * @return each record type written with another version than this build's, and what it loses
   * @throws IllegalArgumentException if this build does not know {@code set}, or cannot write a
   *     record type as that set has it, in one line
   */
  public static List<Change> writeAs(SchemaSet set, BiConsumer<Class<? extends SpecificRecord>, String> keptCurrent) {
    Objects.requireNonNull(keptCurrent, "keptCurrent");
    ReleasedSchemaSets.Release release = ReleasedSchemaSets.find(set).orElseThrow(() -> new IllegalArgumentException(
        "This build does not know the record schemas " + set.id() + ": it can write those of "
            + ReleasedSchemaSets.ids() + " (its own, " + SchemaSet.current().id() + ", last); builds from before "
            + "2026-12-07 name none, and an upgrade from one stops every instance first (README, \"Upgrading\")"));
    Map<Class<?>, OlderVersion> olderVersions = new java.util.HashMap<>();
    List<Change> changes = new ArrayList<>();
    for (Class<? extends SpecificRecord> type : SchemaSet.WIRE_TYPES) {
      Schema current = SpecificData.get().getSchema(type);
      int currentVersion = SchemaHistory.of(type).size();
      Optional<Schema> older = release.schemaOf(type);
      if (older.isEmpty()) {
        changes.add(new Change(type, currentVersion, currentVersion, List.of()));
      } else if (release.versionOf(type) != currentVersion) {
        OlderVersion version = OlderVersion.of(current, older.get(), release.versionOf(type));
        olderVersions.put(type, version);
        changes.add(new Change(type, currentVersion, version.version(), version.dropped()));
      }
    }
    chosen = set.equals(SchemaSet.current()) ? null : new Choice(set, Map.copyOf(olderVersions), keptCurrent);
    return List.copyOf(changes);
  }

  /** Back to this build's schemas. */
  public static void writeCurrent() {
    chosen = null;
  }

  /** The set this process writes: this build's, or the one given to {@link #writeAs}. */
  public static SchemaSet written() {
    Choice choice = chosen;
    return choice == null ? SchemaSet.current() : choice.set();
  }

  /** {@code current}, a {@code type} record encoded with its current schema, as this process writes it. */
  static byte[] asChosen(Class<? extends SpecificRecord> type, byte[] current) {
    Choice choice = chosen;
    if (choice == null) {
      return current;
    }
    OlderVersion older = choice.olderVersions().get(type);
    if (older == null) {
      return current;
    }
    try {
      return older.encode(current);
    } catch (AvroTypeException e) {
      choice.keptCurrent().accept(type, e.getMessage());
      return current;
    }
  }
}
