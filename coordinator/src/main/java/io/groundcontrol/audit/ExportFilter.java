package io.groundcontrol.audit;

import io.groundcontrol.schema.MissionEvent;
import io.groundcontrol.schema.MissionStarted;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Chooses the events of an export: stamped in {@code [from, to)}, and, if a plan is named, of
 * missions on that plan. A mission's plan is known from its {@code MissionStarted}, which comes
 * before its other events in the log, so the filter learns it from every event it is shown,
 * exported or not. Not thread-safe.
 */
public final class ExportFilter {
  private final Instant from;
  private final Instant to;
  private final String plan;
  private final Map<String, String> planOf = new HashMap<>();
  private long unknownPlan;

  /**
   * @param from first time included; null for the beginning of the log
   * @param to first time excluded; null for the end of the log
   * @param plan plan name to keep; null for every plan
   */
  public ExportFilter(Instant from, Instant to, String plan) {
    if (from != null && to != null && !from.isBefore(to)) {
      throw new IllegalArgumentException("Expected --from before --to, but " + from + " is not before " + to);
    }
    this.from = from;
    this.to = to;
    this.plan = plan;
  }

  /** Whether to export {@code event}; call it with every event of the log, in log order. */
  public boolean test(MissionEvent event) {
    if (event.getEvent() instanceof MissionStarted started) {
      planOf.put(event.getMissionId(), started.getPlanName());
    }
    Instant at = event.getTimestamp();
    if ((from != null && at.isBefore(from)) || (to != null && !at.isBefore(to))) {
      return false;
    }
    if (plan == null) {
      return true;
    }
    String missionPlan = planOf.get(event.getMissionId());
    if (missionPlan == null) {
      unknownPlan++;
      return false;
    }
    return missionPlan.equals(plan);
  }

  /**
   * Events in the time range left out because their mission's plan is unknown: rejections of
   * inputs naming no mission, and missions whose start the log no longer holds.
   */
  public long unknownPlan() {
    return unknownPlan;
  }
}
