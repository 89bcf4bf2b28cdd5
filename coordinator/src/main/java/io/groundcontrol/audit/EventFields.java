package io.groundcontrol.audit;

import io.groundcontrol.schema.MissionEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.specific.SpecificData;

/**
 * A mission event as one flat record for external tools: the envelope ({@code missionId},
 * {@code sequence}, {@code timestamp}, {@code cause.kind}, {@code cause.actor.kind},
 * {@code cause.actor.id}, {@code cause.actor.host}, {@code cause.attempt}), the event {@code kind},
 * then the event's own fields, nested records joined with dots ({@code error.message}). Derived
 * from the {@link MissionEvent} schema, so event kinds and fields added to it appear without a
 * change here; an event field whose name the envelope already uses is prefixed {@code event.}.
 *
 * <p>Values are strings, numbers, booleans, ISO-8601 times, maps (params, outputs: values are JSON
 * text) and lists, or null.
 */
public final class EventFields {
  /** The name of the column holding the event kind, e.g. {@code StageFailed}. */
  public static final String KIND = "kind";

  private static final String PAYLOAD = "event";
  private static final Set<String> ENVELOPE_NAMES = envelopeNames();
  private static final List<String> COLUMNS = columnsOf(MissionEvent.getClassSchema());

  private EventFields() {}

  /** The fields of {@code event}, in column order; only those its kind has. */
  public static Map<String, Object> of(MissionEvent event) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Schema.Field field : envelope(event.getSchema())) {
      flatten(field.schema(), event.get(field.pos()), field.name(), out);
    }
    Object payload = event.getEvent();
    Schema branch = SpecificData.get().getSchema(payload.getClass());
    out.put(KIND, branch.getName());
    Map<String, Object> own = new LinkedHashMap<>();
    flatten(branch, payload, "", own);
    own.forEach((name, value) -> out.put(payloadName(name), value));
    return out;
  }

  /** Every field any event can have, in a fixed order: the columns of a CSV export. */
  public static List<String> columns() {
    return COLUMNS;
  }

  private static List<String> columnsOf(Schema schema) {
    Set<String> columns = new LinkedHashSet<>();
    for (Schema.Field field : envelope(schema)) {
      names(field.schema(), field.name(), columns);
    }
    columns.add(KIND);
    for (Schema branch : schema.getField(PAYLOAD).schema().getTypes()) {
      Set<String> own = new LinkedHashSet<>();
      names(branch, "", own);
      own.forEach(name -> columns.add(payloadName(name)));
    }
    return List.copyOf(columns);
  }

  private static List<Schema.Field> envelope(Schema schema) {
    List<Schema.Field> fields = new ArrayList<>(schema.getFields());
    fields.removeIf(f -> f.name().equals(PAYLOAD));
    return fields;
  }

  private static String payloadName(String name) {
    return ENVELOPE_NAMES.contains(name) || name.equals(KIND) ? PAYLOAD + "." + name : name;
  }

  private static Set<String> envelopeNames() {
    Set<String> names = new LinkedHashSet<>();
    for (Schema.Field field : envelope(MissionEvent.getClassSchema())) {
      names(field.schema(), field.name(), names);
    }
    return names;
  }

  private static void flatten(Schema schema, Object value, String path, Map<String, Object> out) {
    switch (schema.getType()) {
      case RECORD -> {
        IndexedRecord record = (IndexedRecord) value;
        for (Schema.Field field : schema.getFields()) {
          flatten(field.schema(), record == null ? null : record.get(field.pos()), join(path, field.name()), out);
        }
      }
      case UNION -> {
        Schema only = soleRecordBranch(schema);
        if (value == null && only != null) {
          flatten(only, null, path, out);
        } else if (value == null) {
          out.put(path, null);
        } else {
          flatten(schema.getTypes().get(SpecificData.get().resolveUnion(schema, value)), value, path, out);
        }
      }
      default -> out.put(path, plain(value));
    }
  }

  private static void names(Schema schema, String path, Set<String> out) {
    Schema record = schema.getType() == Schema.Type.UNION ? soleRecordBranch(schema) : schema;
    if (record != null && record.getType() == Schema.Type.RECORD) {
      for (Schema.Field field : record.getFields()) {
        names(field.schema(), join(path, field.name()), out);
      }
    } else {
      out.add(path);
    }
  }

  /** The record branch of a union of null and one record, else null. */
  private static Schema soleRecordBranch(Schema union) {
    List<Schema> others = union.getTypes().stream().filter(t -> t.getType() != Schema.Type.NULL).toList();
    return others.size() == 1 && others.get(0).getType() == Schema.Type.RECORD ? others.get(0) : null;
  }

  private static Object plain(Object value) {
    if (value instanceof CharSequence || value instanceof Enum<?>) {
      return value.toString();
    }
    if (value instanceof Instant instant) {
      return instant.toString();
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> copy = new LinkedHashMap<>();
      map.forEach((k, v) -> copy.put(String.valueOf(k), plain(v)));
      return copy;
    }
    if (value instanceof List<?> list) {
      return list.stream().map(EventFields::plain).toList();
    }
    return value;
  }

  private static String join(String path, String name) {
    return path.isEmpty() ? name : path + "." + name;
  }
}
