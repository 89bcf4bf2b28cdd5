package io.groundcontrol.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.apikey.Role;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The schedules page as rendered, without a server. */
class SchedulesPageRenderTest {
  @Test
  void aLastFireWhoseStartWasRejectedNamesNoMissionPageToOpen() {
    String html = page(row("s.nightly.20261201T020000Z", "REJECTED"));

    assertThat(html).contains("s.nightly.20261201T020000Z").contains("REJECTED")
        .doesNotContain("href=\"/ui/missions/s.nightly.20261201T020000Z\"");
  }

  @Test
  void aScheduleShowsThePriorityItStartsItsMissionsAt() {
    assertThat(page(row(null, null))).contains("priority <span class=\"priority\">5</span>");
  }

  @Test
  void aViewerHasNoFireNowNorItsPriority() {
    assertThat(page(row(null, null))).doesNotContain("data-op=\"trigger\"").doesNotContain("name=\"priority\"");
  }

  @Test
  void aLastMissionThatStartedIsALink() {
    String html = page(row("s.nightly.20261201T020000Z", "FAILED"));

    assertThat(html).contains("href=\"/ui/missions/s.nightly.20261201T020000Z\"");
  }

  private static String page(Views.ScheduleRow row) {
    return new Templates().html("schedules.jte", new Views.SchedulesPage(
        new Views.Chrome("Schedules", new Session("k", "alice", Role.VIEWER), "schedules"), List.of(row), false, null, null));
  }

  private static Views.ScheduleRow row(String lastMission, String status) {
    return new Views.ScheduleRow("nightly", "etl", "0 2 * * * UTC", "SKIP", 5, null, null, null, null, false,
        lastMission, status);
  }
}
