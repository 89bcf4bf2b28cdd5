package io.groundcontrol.schedule;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;

/**
 * The nominal times of a schedule: when each fire is due, before jitter.
 *
 * <p>A cron expression names local times in its time zone. Daylight-saving rules: a local time
 * that happens twice (the hour the clocks go back) fires once, at its first occurrence; a local
 * time that does not happen (the hour the clocks go forward) fires once, shifted forward by the
 * length of the gap (02:30 becomes 03:30). So a daily 02:30 fires exactly once on both change
 * days. Next times are found by cron-utils on the local time line, then placed in the zone.
 *
 * <p>Spans are counted, not listed: an outage or a pause of any length is counted in one decision.
 */
public interface FireTimes {
  /** The first nominal time strictly after {@code after}, if there is one. */
  Optional<Instant> after(Instant after);

  /** The nominal times in (after, until]: how many, the first and the last. */
  default Span span(Instant after, Instant until) {
    Span span = Span.NONE;
    for (Optional<Instant> next = after(after); next.isPresent() && !next.get().isAfter(until); next = after(next.get())) {
      span = span.plus(next.get());
    }
    return span;
  }

  /** The {@code k}-th nominal time after {@code after} (k from 1), if there is one. */
  default Optional<Instant> nth(Instant after, long k) {
    Optional<Instant> next = after(after);
    for (long i = 1; i < k && next.isPresent(); i++) {
      next = after(next.get());
    }
    return next;
  }

  /**
   * Some nominal times in a row.
   *
   * @param count how many; 0 for none, and then first and last are null
   * @param first the oldest
   * @param last the newest
   */
  record Span(long count, Instant first, Instant last) {
    static final Span NONE = new Span(0, null, null);

    Span plus(Instant next) {
      return new Span(count + 1, count == 0 ? next : first, next);
    }

    boolean isEmpty() {
      return count == 0;
    }
  }

  /**
   * A Unix cron (5 fields: minute hour day-of-month month day-of-week) in {@code zone}.
   *
   * @throws IllegalArgumentException saying what is wrong with the expression
   */
  static FireTimes cron(String expression, ZoneId zone) {
    return new CronTimes(ExecutionTime.forCron(CronHolder.PARSER.parse(expression).validate()), zone);
  }

  /** Every {@code interval} from {@code anchor}: anchor + k × interval for whole k. */
  static FireTimes every(Duration interval, Instant anchor) {
    if (interval.isZero() || interval.isNegative()) {
      throw new IllegalArgumentException("Expected a positive interval, but got " + interval);
    }
    return new EveryTimes(interval.toMillis(), anchor.toEpochMilli());
  }

  /** The cron parser, built once. */
  final class CronHolder {
    static final CronParser PARSER = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

    private CronHolder() {}
  }
}
