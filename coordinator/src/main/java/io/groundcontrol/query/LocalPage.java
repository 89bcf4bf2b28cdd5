package io.groundcontrol.query;

import java.util.List;

/**
 * What one instance holds of a list page: up to the page size from the partitions it was asked
 * for, in list order, and whether more follow there. The gatherer merges these.
 */
public record LocalPage(List<Entry> entries, boolean more) {
  /** A listed mission and its position in every list ({@link IndexKeys#position}). */
  public record Entry(String position, MissionSummary mission) {}
}
