package io.groundcontrol.query;

import io.groundcontrol.schema.MissionStatus;
import java.time.Instant;

/**
 * Which missions a list holds: any combination of a status, a plan, and a start-time window
 * ({@code startedAfter} inclusive, {@code startedBefore} exclusive); null means any.
 */
public record MissionFilter(MissionStatus status, String plan, Instant startedAfter, Instant startedBefore) {
  /** Every mission. */
  public static final MissionFilter ALL = new MissionFilter(null, null, null, null);

  /** The index prefix whose keys are exactly this filter's status and plan. */
  String prefix() {
    if (status != null && plan != null) {
      return IndexKeys.statusAndPlanPrefix(status, plan);
    }
    if (status != null) {
      return IndexKeys.statusPrefix(status);
    }
    if (plan != null) {
      return IndexKeys.planPrefix(plan);
    }
    return IndexKeys.allPrefix();
  }

  /** The first index key to read after {@code cursor} (a position, or null to start at the newest). */
  String from(String cursor) {
    String from = prefix() + (startedBefore == null ? "" : IndexKeys.inverted(startedBefore) + IndexKeys.END);
    if (cursor != null) {
      String next = prefix() + cursor + IndexKeys.SEP;
      return next.compareTo(from) > 0 ? next : from;
    }
    return from;
  }

  /** The last index key that may be read. */
  String to() {
    return prefix() + (startedAfter == null ? "" : IndexKeys.inverted(startedAfter)) + IndexKeys.END;
  }
}
