package io.groundcontrol.ui;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/**
 * A time filter as a {@code datetime-local} picker takes it: a date and time in UTC without a zone,
 * to the millisecond, with a step fine enough for its seconds. A picker shows a value it cannot
 * take ({@code 2026-11-22T10:15:00Z}, as a link may give) empty, and refuses to submit seconds its
 * step (a minute by default) does not allow; either way the filter would be lost.
 *
 * @param value what the picker shows: the filter as typed if it is no time (its error says so)
 * @param step the picker's step in seconds, or null for the default minute
 */
public record PickerTime(String value, String step) {
  /** The picker for a filter as typed, which may be null. */
  static PickerTime of(String filter) {
    Instant instant = filter == null ? null : MissionPages.instant(filter);
    if (instant == null) {
      return new PickerTime(filter, null);
    }
    LocalDateTime time = LocalDateTime.ofInstant(instant.truncatedTo(ChronoUnit.MILLIS), ZoneOffset.UTC);
    String step = time.getNano() != 0 ? "0.001" : time.getSecond() != 0 ? "1" : null;
    return new PickerTime(time.toString(), step);
  }
}
