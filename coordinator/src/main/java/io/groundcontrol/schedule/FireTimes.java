package io.groundcontrol.schedule;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Optional;

/**
 * The nominal times of a schedule: when each fire is due, before jitter.
 *
 * <p>A cron expression names local times in its time zone. Daylight-saving rules: a local time
 * that happens twice (the hour the clocks go back) fires once, at its first occurrence; a local
 * time that does not happen (the hour the clocks go forward) fires once, shifted forward by the
 * length of the gap (02:30 becomes 03:30). So a daily 02:30 fires exactly once on both change
 * days. Next times are found by cron-utils on the local time line, then placed in the zone.
 */
public interface FireTimes {
  /** The first nominal time strictly after {@code after}, if there is one. */
  Optional<Instant> after(Instant after);

  /**
   * A Unix cron (5 fields: minute hour day-of-month month day-of-week) in {@code zone}.
   *
   * @throws IllegalArgumentException saying what is wrong with the expression
   */
  static FireTimes cron(String expression, ZoneId zone) {
    ExecutionTime execution = ExecutionTime.forCron(CronHolder.PARSER.parse(expression).validate());
    // A search that finds nothing takes cron-utils some 80 ms (it gives up after years of dates);
    // nothing after one instant means nothing after any later one, so a schedule stored with such
    // a cron costs its stream thread that search once, not at every tick.
    Instant[] nothingAfter = {null};
    return after -> {
      if (nothingAfter[0] != null && !after.isBefore(nothingAfter[0])) {
        return Optional.empty();
      }
      // Local times as if they were UTC: a line without gaps or repeats, where cron-utils is exact.
      ZonedDateTime local = LocalDateTime.ofInstant(after, zone).atZone(ZoneOffset.UTC);
      while (true) {
        Optional<ZonedDateTime> next = execution.nextExecution(local);
        if (next.isEmpty()) {
          nothingAfter[0] = after;
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
    };
  }

  /** Every {@code interval} from {@code anchor}: anchor + k × interval for whole k. */
  static FireTimes every(Duration interval, Instant anchor) {
    if (interval.isZero() || interval.isNegative()) {
      throw new IllegalArgumentException("Expected a positive interval, but got " + interval);
    }
    long step = interval.toMillis();
    long origin = anchor.toEpochMilli();
    return after -> {
      long k = Math.floorDiv(after.toEpochMilli() - origin, step) + 1;
      return Optional.of(Instant.ofEpochMilli(origin + k * step));
    };
  }

  /** The cron parser, built once. */
  final class CronHolder {
    static final CronParser PARSER = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

    private CronHolder() {}
  }
}
