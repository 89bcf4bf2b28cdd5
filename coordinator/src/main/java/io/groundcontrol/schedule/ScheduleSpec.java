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
    boolean paused) {

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
        schedule.getPaused());
  }

  /** The first nominal time after {@code after} within start_at and end_at, if any is left. */
  public Optional<Instant> nominalAfter(Instant after) {
    Instant from = startAt.filter(start -> start.isAfter(after)).map(start -> start.minusMillis(1)).orElse(after);
    return times.after(from).filter(next -> endAt.isEmpty() || !next.isAfter(endAt.get()));
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
