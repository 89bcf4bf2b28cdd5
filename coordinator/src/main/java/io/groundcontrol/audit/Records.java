package io.groundcontrol.audit;

import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/** Builds generated records by field name, so recovered inputs follow fields added to the schemas. */
final class Records {
  private Records() {}

  /**
   * A new {@code type} with every field at its schema default, then every field that {@code from}
   * has under the same name and type copied over. Fields with neither stay null.
   */
  static <R extends SpecificRecord> R copyInto(Class<R> type, SpecificRecord from) {
    Schema schema = SpecificData.get().getSchema(type);
    @SuppressWarnings("unchecked")
    R record = (R) SpecificData.get().newRecord(null, schema);
    for (Schema.Field field : schema.getFields()) {
      if (field.hasDefaultValue()) {
        record.put(field.pos(), SpecificData.get().deepCopy(field.schema(), SpecificData.get().getDefaultValue(field)));
      }
      Schema.Field source = from == null ? null : from.getSchema().getField(field.name());
      if (source != null && source.schema().equals(field.schema())) {
        record.put(field.pos(), from.get(source.pos()));
      }
    }
    return record;
  }
}
