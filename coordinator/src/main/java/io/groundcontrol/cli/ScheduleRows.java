package io.groundcontrol.cli;

import io.groundcontrol.query.ScheduleDocument;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** The schedule table of {@code schedule list}, header first: the same columns from the read side or from the logs. */
final class ScheduleRows {
  private final List<List<String>> rows = new ArrayList<>();

  ScheduleRows() {
    rows.add(List.of("SCHEDULE", "PLAN", "PRIORITY", "WHEN", "NEXT FIRE", "LAST MISSION", "STATUS", "PAUSED"));
  }

  /** The schedules as the scheduler's store has them ({@code GET /api/v1/schedules}), by name. */
  static List<List<String>> of(List<ScheduleDocument> schedules) {
    ScheduleRows table = new ScheduleRows();
    schedules.stream().sorted(Comparator.comparing(ScheduleDocument::name)).forEach(s -> table.add(s.name(), s.plan(),
        s.priority(), s.when(), s.paused() ? "-" : s.nextFires().stream().findFirst()
            .map(next -> ScheduleList.fireTime(Instant.parse(next))).orElse("none (ended)"),
        s.lastMissionId(), s.lastMissionStatus(),
        s.pausedBy() == null ? null : s.pausedBy() + (s.pauseReason() == null ? "" : ": " + s.pauseReason())));
    return table.rows();
  }

  /**
   * Adds one schedule.
   *
   * @param priority the priority of the missions it starts
   * @param lastMission null before its first fire
   * @param pause who paused it and why; null if it is not paused
   */
  void add(String name, String plan, int priority, String when, String nextFire, String lastMission, String status,
      String pause) {
    rows.add(List.of(name, plan, String.valueOf(priority), when, nextFire, lastMission == null ? "-" : lastMission,
        lastMission == null || status == null ? "-" : status, pause == null ? "" : "paused by " + pause));
  }

  List<List<String>> rows() {
    return rows;
  }
}
