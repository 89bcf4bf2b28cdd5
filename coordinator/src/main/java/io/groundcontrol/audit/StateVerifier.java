package io.groundcontrol.audit;

import io.groundcontrol.schema.MissionState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.avro.Schema;
import org.apache.avro.generic.IndexedRecord;

/**
 * Compares missions rebuilt from the log with the coordinator's stored missions, field by field.
 * Both sides are plain maps of the stored form ({@code MissionStateCodec.toStored}), so the
 * comparison needs no Kafka. It walks the {@link MissionState} schema rather than naming fields, so
 * a field added to the schema is compared without a change here. Records in an array that have a
 * {@code name} (the stages) are matched by name, not position: the store keeps each stage as an
 * entry of its own, in key order, while the log lists them in plan order.
 */
public final class StateVerifier {
  private StateVerifier() {}

  /**
   * Every difference, missions in the log's order first, then missions only in the store.
   *
   * @param log missions rebuilt from the log, by id
   * @param store missions in the coordinator's store, by id
   */
  public static List<Difference> compare(Map<String, MissionState> log, Map<String, MissionState> store) {
    List<Difference> out = new ArrayList<>();
    log.forEach((id, rebuilt) -> {
      MissionState stored = store.get(id);
      if (stored == null) {
        out.add(new Difference(id, "", summary(rebuilt), "no such mission"));
      } else {
        compareRecords(id, "", rebuilt, stored, out);
      }
    });
    store.forEach((id, stored) -> {
      if (!log.containsKey(id)) {
        out.add(new Difference(id, "", "no events", summary(stored)));
      }
    });
    return out;
  }

  private static void compareRecords(String id, String path, IndexedRecord log, IndexedRecord store, List<Difference> out) {
    for (Schema.Field field : log.getSchema().getFields()) {
      compareValues(id, join(path, field.name()), field.schema(), log.get(field.pos()), store.get(field.pos()), out);
    }
  }

  private static void compareValues(String id, String path, Schema schema, Object log, Object store, List<Difference> out) {
    if (log instanceof IndexedRecord l && store instanceof IndexedRecord s && l.getSchema().equals(s.getSchema())) {
      compareRecords(id, path, l, s, out);
    } else if (schema.getType() == Schema.Type.ARRAY && isNamedRecords(schema.getElementType())
        && log instanceof List<?> l && store instanceof List<?> s) {
      compareNamed(id, singular(path), schema.getElementType(), l, s, out);
    } else if (!Objects.equals(normalize(log), normalize(store))) {
      out.add(new Difference(id, path, render(log), render(store)));
    }
  }

  private static void compareNamed(
      String id, String label, Schema element, List<?> log, List<?> store, List<Difference> out) {
    Map<String, IndexedRecord> logByName = byName(log);
    Map<String, IndexedRecord> storeByName = byName(store);
    logByName.forEach((name, l) -> {
      String path = label + " '" + name + "'";
      IndexedRecord s = storeByName.get(name);
      if (s == null) {
        out.add(new Difference(id, path, "present", "no such " + label));
      } else {
        compareValues(id, path, element, l, s, out);
      }
    });
    storeByName.forEach((name, s) -> {
      if (!logByName.containsKey(name)) {
        out.add(new Difference(id, label + " '" + name + "'", "no such " + label, "present"));
      }
    });
  }

  private static Map<String, IndexedRecord> byName(List<?> records) {
    Map<String, IndexedRecord> byName = new LinkedHashMap<>();
    for (Object o : records) {
      IndexedRecord record = (IndexedRecord) o;
      byName.put(String.valueOf(record.get(record.getSchema().getField("name").pos())), record);
    }
    return byName;
  }

  private static boolean isNamedRecords(Schema element) {
    return element.getType() == Schema.Type.RECORD && element.getField("name") != null;
  }

  /** Avro may hand back its own Utf8 or a specific map type; compare by content. */
  private static Object normalize(Object value) {
    if (value instanceof CharSequence text) {
      return text.toString();
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> copy = new LinkedHashMap<>();
      map.forEach((k, v) -> copy.put(String.valueOf(k), normalize(v)));
      return copy;
    }
    return value;
  }

  private static String render(Object value) {
    if (value == null) {
      return "none";
    }
    if (value instanceof Instant instant) {
      return instant.toString();
    }
    return String.valueOf(normalize(value));
  }

  private static String summary(MissionState state) {
    return state.getStatus() + " on plan '" + state.getPlanName() + "' at event " + state.getSequence();
  }

  private static String join(String path, String field) {
    return path.isEmpty() ? field : path.endsWith("'") ? path + " " + field : path + "." + field;
  }

  /** {@code stages} names one element {@code stage}. */
  private static String singular(String path) {
    return path.endsWith("s") ? path.substring(0, path.length() - 1) : path;
  }
}
