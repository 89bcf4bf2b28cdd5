package io.groundcontrol.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.query.ScheduleDocument;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScheduleRowsTest {
  private static final Instant NEXT = Instant.parse("2026-03-01T13:00:00Z");

  @Test
  void theReadSidesSchedulesAreListedByNameWithTheirLastMissionStatusAndPause() {
    List<List<String>> rows = ScheduleRows.of(List.of(
        schedule("nightly", List.of(NEXT.toString()), null, null, "s.nightly.1", "FAILED"),
        schedule("hourly", List.of(), "ann", "warehouse upgrade", "s.hourly.7", "FINISHED"),
        schedule("ended", List.of(), null, null, null, null)));

    assertThat(rows).containsExactly(
        List.of("SCHEDULE", "PLAN", "PRIORITY", "WHEN", "NEXT FIRE", "LAST MISSION", "STATUS", "PAUSED"),
        List.of("ended", "quick", "0", "every 1h", "none (ended)", "-", "-", ""),
        List.of("hourly", "quick", "0", "every 1h", "-", "s.hourly.7", "FINISHED", "paused by ann: warehouse upgrade"),
        List.of("nightly", "quick", "10", "every 1h", ScheduleList.fireTime(NEXT), "s.nightly.1", "FAILED", ""));
  }

  private static ScheduleDocument schedule(
      String name, List<String> nextFires, String pausedBy, String reason, String lastMission, String status) {
    int priority = name.equals("nightly") ? 10 : 0;
    return new ScheduleDocument(name, "quick", "every 1h", Map.of(), "ALLOW", priority, nextFires, pausedBy != null,
        pausedBy, reason, false, lastMission, status, null, null, null);
  }
}
