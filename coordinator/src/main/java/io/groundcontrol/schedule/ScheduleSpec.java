package io.groundcontrol.schedule;

import io.groundcontrol.schema.OverlapPolicy;
import io.groundcontrol.schema.Schedule;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import java.util.Optional;
import java.util.zip.CRC32;

/**
 * A schedule ready to decide with: its nominal times, bounds and policies.
 *
 * @param name schedule name
 * @param plan plan each fire starts
 * @param params mission inputs, JSON text
 * @param times nominal fire times
 * @param overlap what a fire does while the previous mission runs
 * @param catchUpWindow how far back missed fires are still run; zero for none
 * @param catchUpMax at most this many missed fires run, the newest
 * @param jitter each fire is delayed by a fixed amount in [0, jitter)
 * @param startAt no nominal time before this, if set
 * @param endAt no nominal time after this, if set
 * @param paused paused in the schedules file
 * @param priority the priority of every mission it starts, as {@code mission start --priority}
 */
public record ScheduleSpec(
    String name,
    String plan,
    Map<String, String> params,
    FireTimes times,
    OverlapPolicy overlap,
    Duration catchUpWindow,
    int catchUpMax,
    Duration jitter,
    Optional<Instant> startAt,
    Optional<Instant> endAt,
    boolean paused,
    int priority) {

  /**
   * Fires later than this after their due time are missed: a scheduler that was not running (or
   * fell this far behind) runs them only as catch-up. Shorter delays, such as a restart or a
   * rebalance, are caught up whatever {@code catch_up} says.
   */
  public static final Duration MISFIRE_THRESHOLD = Duration.ofMinutes(1);

  /**
   * Compiles an applied schedule.
   *
   * @throws IllegalArgumentException if its cron, time zone or interval is unusable
   */
  public static ScheduleSpec of(Schedule schedule) {
    Optional<Instant> startAt = Optional.ofNullable(schedule.getStartAt());
    FireTimes times = schedule.getCron() != null
        ? FireTimes.cron(schedule.getCron(), ZoneId.of(schedule.getTimeZone()))
        : FireTimes.every(Duration.ofMillis(schedule.getEveryMs()), startAt.orElse(Instant.EPOCH));
    return new ScheduleSpec(
        schedule.getName(), schedule.getPlan(), Map.copyOf(schedule.getParams()), times, schedule.getOverlap(),
        Duration.ofMillis(schedule.getCatchUpWindowMs()), schedule.getCatchUpMax(),
        Duration.ofMillis(schedule.getJitterMs()), startAt, Optional.ofNullable(schedule.getEndAt()),
        schedule.getPaused(), schedule.getPriority());
  }

  /** The first nominal time after {@code after} within start_at and end_at, if any is left. */
  public Optional<Instant> nominalAfter(Instant after) {
    return times.after(from(after)).filter(this::beforeEnd);
  }

  /** The nominal times in (after, until] within start_at and end_at. */
  FireTimes.Span span(Instant after, Instant until) {
    Instant to = endAt.filter(end -> end.isBefore(until)).orElse(until);
    return to.isAfter(from(after)) ? times.span(from(after), to) : FireTimes.Span.NONE;
  }

  /** The {@code k}-th nominal time after {@code after} (k from 1) within start_at and end_at, if any. */
  Optional<Instant> nth(Instant after, long k) {
    return times.nth(from(after), k).filter(this::beforeEnd);
  }

  /**
   * The nominal times after {@code after} due before {@code limit} (or at it, if {@code inclusive}),
   * up to the first that is not: fires go in nominal order, so one due sooner than an earlier one (a
   * cron's jitter longer than its gap) waits for it.
   */
  FireTimes.Span due(Instant after, Instant limit, boolean inclusive) {
    // Every time this far back is due before the limit: only the last jitter's worth is looked at
    // one by one, so the count of a long outage or pause costs what counting its times costs.
    FireTimes.Span span = span(after, limit.minus(jitter).minusMillis(1));
    Optional<Instant> next = nominalAfter(span.isEmpty() ? after : span.last());
    while (next.isPresent() && (inclusive ? !dueAt(next.get()).isAfter(limit) : dueAt(next.get()).isBefore(limit))) {
      span = span.plus(next.get());
      next = nominalAfter(next.get());
    }
    return span;
  }

  private Instant from(Instant after) {
    return startAt.filter(start -> start.isAfter(after)).map(start -> start.minusMillis(1)).orElse(after);
  }

  private boolean beforeEnd(Instant nominal) {
    return endAt.isEmpty() || !nominal.isAfter(endAt.get());
  }

  /**
   * When the fire of {@code nominal} is due: the nominal time plus a delay in [0, jitter) derived
   * from the schedule name and the nominal time, so every replay and every instance agrees on it.
   */
  public Instant dueAt(Instant nominal) {
    if (jitter.isZero()) {
      return nominal;
    }
    CRC32 crc = new CRC32();
    crc.update((name + "@" + nominal.toEpochMilli()).getBytes(StandardCharsets.UTF_8));
    return nominal.plusMillis(crc.getValue() % jitter.toMillis());
  }
}
