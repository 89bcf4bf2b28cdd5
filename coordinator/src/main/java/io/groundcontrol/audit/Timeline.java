package io.groundcontrol.audit;

import io.groundcontrol.schema.Actor;
import io.groundcontrol.schema.Cause;
import io.groundcontrol.schema.MissionEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One mission's history for people: a row per event, saying when, what, to which stage and
 * attempt, why (the cause: a command and who sent it, or a worker's report and where it ran), and
 * the rest of the event's fields, errors included. Stack traces ({@code error.detail}) are left
 * to the JSON form.
 */
public final class Timeline {
  private static final List<String> HEADER = List.of("SEQ", "TIME", "EVENT", "STAGE", "ATTEMPT", "CAUSE", "DETAIL");
  private static final Set<String> SHOWN_APART = Set.of("stage", "attempt", "error.detail");

  private Timeline() {}

  /** The header row, then one row per event, in the order given. */
  public static List<List<String>> rows(List<MissionEvent> events) {
    List<List<String>> rows = new ArrayList<>();
    rows.add(HEADER);
    for (MissionEvent event : events) {
      Map<String, Object> fields = EventFields.of(event);
      rows.add(List.of(
          Long.toString(event.getSequence()),
          event.getTimestamp().toString(),
          String.valueOf(fields.get(EventFields.KIND)),
          text(fields.get("stage")),
          text(fields.get("attempt")),
          cause(event.getCause()),
          detail(fields)));
    }
    return rows;
  }

  /**
   * The error details the rows leave out, one block per event that has one: a line naming the event,
   * then the detail (a stack trace, say) indented.
   */
  public static List<String> details(List<MissionEvent> events) {
    List<String> lines = new ArrayList<>();
    for (MissionEvent event : events) {
      Map<String, Object> fields = EventFields.of(event);
      Object detail = fields.get("error.detail");
      if (detail != null) {
        lines.add("");
        lines.add("Event " + event.getSequence() + " (" + fields.get(EventFields.KIND) + ", stage " + text(fields.get("stage"))
            + ", attempt " + text(fields.get("attempt")) + "): " + text(fields.get("error.message")));
        detail.toString().lines().forEach(line -> lines.add("  " + line));
      }
    }
    return lines;
  }

  /** {@code REPORT from WORKER w-1 on h1 (attempt 2)}, {@code COMMAND from USER ann on laptop}. */
  static String cause(Cause cause) {
    Actor actor = cause.getActor();
    return cause.getKind() + " from " + actor.getKind() + " " + actor.getId()
        + (actor.getHost() == null ? "" : " on " + actor.getHost())
        + (cause.getAttempt() == null ? "" : " (attempt " + cause.getAttempt() + ")");
  }

  private static String detail(Map<String, Object> fields) {
    List<String> parts = new ArrayList<>();
    boolean own = false;
    for (Map.Entry<String, Object> field : fields.entrySet()) {
      if (own && !SHOWN_APART.contains(field.getKey()) && field.getValue() != null) {
        parts.add(field.getKey() + "=" + field.getValue());
      }
      own |= field.getKey().equals(EventFields.KIND);
    }
    return String.join(", ", parts);
  }

  private static String text(Object value) {
    return value == null ? "-" : value.toString();
  }
}
