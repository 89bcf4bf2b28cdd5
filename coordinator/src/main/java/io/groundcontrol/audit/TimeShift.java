package io.groundcontrol.audit;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * Moves every time in a record by one amount: every field of logical type {@code timestamp-millis},
 * in nested records and arrays of records too. Found through the schema, so times added to the
 * schemas later move as well.
 */
final class TimeShift {
  private TimeShift() {}

  /** A copy of {@code record} with every time {@code by} later; {@code record} itself is not changed. */
  static <R extends SpecificRecord> R shift(R record, Duration by) {
    R copy = SpecificData.get().deepCopy(record.getSchema(), record);
    if (!by.isZero()) {
      shiftFields(copy, by);
    }
    return copy;
  }

  private static void shiftFields(IndexedRecord record, Duration by) {
    for (Schema.Field field : record.getSchema().getFields()) {
      Object value = record.get(field.pos());
      if (value instanceof Instant instant && isTime(field.schema())) {
        record.put(field.pos(), instant.plus(by));
      } else if (value instanceof IndexedRecord nested) {
        shiftFields(nested, by);
      } else if (value instanceof List<?> list) {
        list.stream().filter(IndexedRecord.class::isInstance).forEach(r -> shiftFields((IndexedRecord) r, by));
      }
    }
  }

  private static boolean isTime(Schema schema) {
    if (schema.getType() == Schema.Type.UNION) {
      return schema.getTypes().stream().anyMatch(TimeShift::isTime);
    }
    return schema.getLogicalType() instanceof LogicalTypes.TimestampMillis;
  }
}
