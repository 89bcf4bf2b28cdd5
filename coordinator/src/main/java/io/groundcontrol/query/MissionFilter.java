package io.groundcontrol.query;

import io.groundcontrol.schema.MissionStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Which missions a list holds: any combination of a status, a plan, and a start-time window
 * ({@code startedAfter} inclusive, {@code startedBefore} exclusive); null means any.
 */
public record MissionFilter(MissionStatus status, String plan, Instant startedAfter, Instant startedBefore) {
  /** Every mission. */
  public static final MissionFilter ALL = new MissionFilter(null, null, null, null);

  /**
   * The index ranges that together hold exactly this filter's missions after {@code cursor} (a
   * position, or null to start at the newest): one for a status, one per status otherwise.
   * Missions are listed by status only, so a list of every status is the merge of these ranges,
   * which share one order ({@link IndexKeys#position}).
   */
  List<IndexRange> ranges(String cursor) {
    List<IndexRange> ranges = new ArrayList<>();
    for (MissionStatus each : status != null ? new MissionStatus[] {status} : MissionStatus.values()) {
      String prefix = plan == null ? IndexKeys.statusPrefix(each) : IndexKeys.statusAndPlanPrefix(each, plan);
      ranges.add(new IndexRange(prefix, from(prefix, cursor), to(prefix)));
    }
    return ranges;
  }

  private String from(String prefix, String cursor) {
    String from = prefix + (startedBefore == null ? "" : IndexKeys.inverted(boundMillis(startedBefore)) + IndexKeys.END);
    if (cursor != null) {
      String next = prefix + cursor + IndexKeys.SEP;
      return next.compareTo(from) > 0 ? next : from;
    }
    return from;
  }

  private String to(String prefix) {
    return prefix + (startedAfter == null ? "" : IndexKeys.inverted(boundMillis(startedAfter))) + IndexKeys.END;
  }

  /**
   * A bound in the whole milliseconds index positions hold, rounded up: a mission started in the
   * millisecond a sub-millisecond bound falls in started before it, so it is outside an inclusive
   * lower bound and inside an exclusive upper one. Saturated for instants a long cannot hold.
   */
  static long boundMillis(Instant bound) {
    long millis;
    try {
      millis = bound.toEpochMilli();
    } catch (ArithmeticException e) {
      return bound.isAfter(Instant.EPOCH) ? Long.MAX_VALUE : Long.MIN_VALUE;
    }
    boolean partial = bound.getNano() % 1_000_000 != 0;
    return partial && millis != Long.MAX_VALUE ? millis + 1 : millis;
  }

  /** Index keys from {@code from} to {@code to}, both inclusive, all under {@code prefix}; empty if from sorts after to. */
  record IndexRange(String prefix, String from, String to) {
    boolean isEmpty() {
      return from.compareTo(to) > 0;
    }
  }
}
