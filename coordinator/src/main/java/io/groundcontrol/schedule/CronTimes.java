package io.groundcontrol.schedule;

import com.cronutils.model.time.ExecutionTime;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.zone.ZoneOffsetTransition;
import java.util.Optional;

/**
 * A cron's nominal times in its zone, by the daylight-saving rules of {@link FireTimes}. Counts
 * take whole days at once: a Unix cron matches the same times of day on every day it matches, so
 * a day whose offset does not change holds a known number of them, and cron-utils (some 20 µs a
 * call) is asked once per matching day, not once per fire.
 */
final class CronTimes implements FireTimes {
  private final ExecutionTime execution;
  private final ZoneId zone;
  /** After this, nothing: a search that finds nothing takes cron-utils some 80 ms; it is done once. */
  private Instant nothingAfter;
  /** How many times a matching day holds, and the last of them; found when a count first needs it. */
  private Day day;

  private record Day(long count, LocalTime last) {}

  CronTimes(ExecutionTime execution, ZoneId zone) {
    this.execution = execution;
    this.zone = zone;
  }

  @Override
  public Optional<Instant> after(Instant after) {
    if (nothingAfter != null && !after.isBefore(nothingAfter)) {
      return Optional.empty();
    }
    // Local times as if they were UTC: a line without gaps or repeats, where cron-utils is exact.
    ZonedDateTime local = LocalDateTime.ofInstant(after, zone).atZone(ZoneOffset.UTC);
    while (true) {
      Optional<ZonedDateTime> next = execution.nextExecution(local);
      if (next.isEmpty()) {
        nothingAfter = after;
        return Optional.empty();
      }
      // The earlier offset of a repeated local time: it fires at its first occurrence only, so
      // inside the repeated hour the next local match may lie behind us; look on from there.
      Instant placed = ZonedDateTime.ofLocal(next.get().toLocalDateTime(), zone, null).toInstant();
      if (placed.isAfter(after)) {
        return Optional.of(placed);
      }
      local = next.get();
    }
  }

  @Override
  public Span span(Instant after, Instant until) {
    return walk(after, until, Long.MAX_VALUE);
  }

  @Override
  public Optional<Instant> nth(Instant after, long k) {
    Span span = walk(after, Instant.MAX, k);
    return span.count() == k ? Optional.of(span.last()) : Optional.empty();
  }

  /** The times after {@code after} up to {@code until}, at most {@code most} of them. */
  private Span walk(Instant after, Instant until, long most) {
    Span span = Span.NONE;
    Instant cursor = after;
    while (span.count() < most) {
      Optional<Instant> next = after(cursor);
      if (next.isEmpty() || next.get().isAfter(until)) {
        break;
      }
      Optional<Instant> endOfDay = wholeDay(cursor, next.get(), until, most - span.count());
      span = endOfDay.isPresent()
          ? new Span(span.count() + day.count(), span.isEmpty() ? next.get() : span.first(), endOfDay.get())
          : span.plus(next.get());
      cursor = span.last();
    }
    return span;
  }

  /**
   * The last time of the local day of {@code next}, a day's first time, if the whole day can be
   * taken at once: it begins after {@code cursor} and ends by {@code until}, holds no more than
   * {@code room} times, and no change of offset moves or merges any of them.
   */
  private Optional<Instant> wholeDay(Instant cursor, Instant next, Instant until, long room) {
    LocalDate date = LocalDate.ofInstant(next, zone);
    Instant start = date.atStartOfDay(zone).toInstant();
    Instant end = date.plusDays(1).atStartOfDay(zone).toInstant();
    ZoneOffsetTransition change = zone.getRules().nextTransition(start.minusSeconds(1));
    if (!cursor.isBefore(start) || end.isAfter(until) || (change != null && !change.getInstant().isAfter(end))
        || day(date).count() > room) {
      return Optional.empty();
    }
    return Optional.of(date.atTime(day.last()).atZone(zone).toInstant());
  }

  /** The times of a matching day, counted once on the local time line on {@code date}, which matches. */
  private Day day(LocalDate date) {
    if (day == null) {
      long count = 0;
      ZonedDateTime last = null;
      Optional<ZonedDateTime> next = execution.nextExecution(date.atStartOfDay(ZoneOffset.UTC).minusSeconds(1));
      for (; next.isPresent() && next.get().toLocalDate().equals(date); next = execution.nextExecution(next.get())) {
        count++;
        last = next.get();
      }
      day = new Day(count, last.toLocalTime());
    }
    return day;
  }
}
