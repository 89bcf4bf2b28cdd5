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
    String from = prefix + (startedBefore == null ? "" : IndexKeys.inverted(startedBefore) + IndexKeys.END);
    if (cursor != null) {
      String next = prefix + cursor + IndexKeys.SEP;
      return next.compareTo(from) > 0 ? next : from;
    }
    return from;
  }

  private String to(String prefix) {
    return prefix + (startedAfter == null ? "" : IndexKeys.inverted(startedAfter)) + IndexKeys.END;
  }

  /** Index keys from {@code from} to {@code to}, both inclusive, all under {@code prefix}; empty if from sorts after to. */
  record IndexRange(String prefix, String from, String to) {
    boolean isEmpty() {
      return from.compareTo(to) > 0;
    }
  }
}
