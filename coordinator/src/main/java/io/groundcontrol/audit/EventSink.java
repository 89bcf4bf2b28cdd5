package io.groundcontrol.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.groundcontrol.schema.MissionEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.List;
import java.util.Map;

/** Writes exported events in one format, one event per line, with the fields of {@link EventFields}. */
public abstract sealed class EventSink {
  private static final ObjectMapper JSON = new ObjectMapper();

  final Writer out;
  private long written;

  private EventSink(Writer out) {
    this.out = out;
  }

  /** The formats an export can be written in. */
  public enum Format {
    /** One flat JSON object per line, with only the fields the event's kind has. */
    JSONL,
    /** A header of every column, then one row per event; maps and lists as JSON text. RFC 4180 quoting. */
    CSV
  }

  /** A sink writing {@code format} to {@code out}; the caller closes {@code out}. */
  public static EventSink open(Format format, Writer out) {
    return format == Format.CSV ? new Csv(out) : new JsonLines(out);
  }

  /** Writes one event. */
  public final void write(MissionEvent event) {
    try {
      writeFields(EventFields.of(event));
      written++;
    } catch (IOException e) {
      throw new UncheckedIOException("Could not write the export", e);
    }
  }

  /** Events written so far. */
  public final long written() {
    return written;
  }

  abstract void writeFields(Map<String, Object> fields) throws IOException;

  static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Could not write " + value + " as JSON", e);
    }
  }

  private static final class JsonLines extends EventSink {
    JsonLines(Writer out) {
      super(out);
    }

    @Override
    void writeFields(Map<String, Object> fields) throws IOException {
      out.write(json(fields));
      out.write('\n');
    }
  }

  private static final class Csv extends EventSink {
    private final List<String> columns = EventFields.columns();

    Csv(Writer out) {
      super(out);
      try {
        writeRow(columns);
      } catch (IOException e) {
        throw new UncheckedIOException("Could not write the export", e);
      }
    }

    @Override
    void writeFields(Map<String, Object> fields) throws IOException {
      writeRow(columns.stream().map(c -> cell(fields.get(c))).toList());
    }

    private void writeRow(List<String> cells) throws IOException {
      for (int i = 0; i < cells.size(); i++) {
        if (i > 0) {
          out.write(',');
        }
        out.write(quote(cells.get(i)));
      }
      out.write("\r\n");
    }

    private static String cell(Object value) {
      if (value == null) {
        return "";
      }
      return value instanceof Map<?, ?> || value instanceof List<?> ? json(value) : value.toString();
    }

    private static String quote(String cell) {
      boolean needs = cell.indexOf(',') >= 0 || cell.indexOf('"') >= 0 || cell.indexOf('\n') >= 0
          || cell.indexOf('\r') >= 0;
      return needs ? '"' + cell.replace("\"", "\"\"") + '"' : cell;
    }
  }
}
