package io.groundcontrol.audit;

import io.groundcontrol.schema.MissionEvent;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/** Times given on the command line, and a mission's history as it stood at one of them. */
public final class PointInTime {
  private PointInTime() {}

  /**
   * Parses an ISO-8601 instant ({@code 2026-11-22T10:15:30Z}), date-time with offset
   * ({@code 2026-11-22T11:15:30+01:00}), or local date-time ({@code 2026-11-22T10:15:30}, in {@code zone}).
   *
   * @throws IllegalArgumentException saying which forms are accepted
   */
  public static Instant parse(String text, ZoneId zone) {
    String trimmed = text == null ? "" : text.trim();
    try {
      return Instant.parse(trimmed);
    } catch (DateTimeException notInstant) {
      // try the next form
    }
    try {
      return OffsetDateTime.parse(trimmed).toInstant();
    } catch (DateTimeException notOffset) {
      // try the next form
    }
    try {
      return LocalDateTime.parse(trimmed).atZone(zone).toInstant();
    } catch (DateTimeException notLocal) {
      throw new IllegalArgumentException("Expected a time like 2026-11-22T10:15:30Z, 2026-11-22T11:15:30+01:00 or "
          + "2026-11-22T10:15:30 (in " + zone + "), but got '" + text + "'");
    }
  }

  /**
   * The events of one mission that the coordinator had written by {@code time}: in log order, up to
   * and not including the first event stamped after it. Event times come from input records, which
   * producers on different hosts stamp, so they can step back; stopping at the first later one keeps
   * the result a prefix of the history, a state the mission really had.
   */
  public static List<MissionEvent> upTo(List<MissionEvent> events, Instant time) {
    List<MissionEvent> prefix = new ArrayList<>();
    for (MissionEvent event : events) {
      if (event.getTimestamp().isAfter(time)) {
        break;
      }
      prefix.add(event);
    }
    return prefix;
  }
}
