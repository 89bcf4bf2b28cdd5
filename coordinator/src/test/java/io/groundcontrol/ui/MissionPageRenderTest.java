package io.groundcontrol.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.apikey.Role;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** A mission's page and its fragments as rendered, without a server. */
class MissionPageRenderTest {
  private static final Templates TEMPLATES = new Templates();
  private static final Pattern TRIGGER = Pattern.compile("hx-trigger=\"([^\"]*)\"");

  @Test
  void noPartOfAnActiveMissionsPagePollsFromATabInTheBackground() {
    String html = TEMPLATES.html("mission.jte", new Views.MissionPage(
        new Views.Chrome("Mission m-1", new Session("k", "alice", Role.VIEWER), "missions"), live(true), null));

    List<String> polling = triggers(html).stream().filter(t -> t.contains("every")).toList();
    assertThat(polling).isNotEmpty().allSatisfy(t -> assertThat(t).contains("document.visibilityState === 'visible'"));
  }

  /**
   * The timeline of an ended mission stops polling, and reads the log again only when the live part
   * finds the mission past its last event shown (retried from the CLI while the page is open): the
   * live part's answer triggers {@code mission-sequence}. A click in it (opening an error's detail)
   * reads nothing.
   */
  @Test
  void theTimelineOfAnEndedMissionStopsPollingUntilTheMissionGoesOnAgain() {
    String running = TEMPLATES.html("timeline.jte", Timeline.of(ApiCalls.parse(events("StageStarted"))));
    String ended = TEMPLATES.html("timeline.jte", Timeline.of(ApiCalls.parse(events("MissionFinished"))));

    assertThat(triggers(running)).containsExactly("every 5s [document.visibilityState === 'visible']");
    assertThat(running).contains("hx-get=\"/ui/missions/m-1/timeline\"");
    assertThat(triggers(ended)).containsExactly("mission-sequence[detail.value > 1] from:body");
  }

  /**
   * Outputs may take 64 KiB a stage (768 KiB at most) and params 256 KiB: the part redrawn every
   * second shows the start of a long value and its length, the download has it whole.
   */
  @Test
  void aLongOutputOrParamIsShownCutInThePartRedrawnEverySecond() {
    String ids = "[" + "\"id-0000000\",".repeat(5_000) + "\"last\"]";
    Views.StageRow stage = new Views.StageRow("list_ids", "sql", "FINISHED", 1, "w-1", "2026-12-01 10:00:01", null,
        null, List.of(new Views.Output("ids", ids)), null, null, null, null, false, null, false, false);
    Views.LiveMission mission = new Views.LiveMission("m-1", "p", "v1", "RUNNING", null, "2026-12-01 10:00:00",
        "2026-12-01 10:00:01", List.of(new Views.Output("ids", ids)), DagLayout.layout(List.of()), List.of(stage),
        true, false, false, 3);

    String html = TEMPLATES.html("live.jte", mission);

    assertThat(ids.length()).isGreaterThan(60_000);
    assertThat(html.length()).isLessThan(10_000);
    assertThat(html).contains("ids=[\"id-0000000\",").contains("(65,008 characters)");
  }

  /**
   * A link's filter may be an instant ({@code ...Z}), which a date-time picker does not take: it
   * would show empty, and the next Filter click would drop it. Seconds need a finer step than the
   * picker's minute, or the browser refuses to submit the form.
   */
  @Test
  void aTimeFilterGivenAsAnInstantInALinkShowsInItsPicker() {
    String html = TEMPLATES.html("missions.jte", new Views.MissionsPage(
        new Views.Chrome("Missions", new Session("k", "alice", Role.VIEWER), "missions"),
        new Views.MissionFilters(null, null, "2026-11-22T10:15:00Z", "2026-11-22T12:15:30.250+01:00", null),
        new Views.Rows(List.of(), "/ui/missions/rows"), null, null, List.of(), List.of()));

    assertThat(html).contains("name=\"after\" value=\"2026-11-22T10:15\">")
        .contains("name=\"before\" value=\"2026-11-22T11:15:30.250\" step=\"0.001\">");
  }

  private static String events(String last) {
    return """
        {"missionId": "m-1", "problems": [], "events": [
          {"sequence": 0, "timestamp": "2026-12-01T10:00:00Z", "kind": "MissionStarted", "planName": "p",
           "planVersion": "v1", "params": {}},
          {"sequence": 1, "timestamp": "2026-12-01T10:00:01Z", "kind": "%s", "stage": "load", "attempt": 1,
           "worker": "w-1"}]}""".formatted(last);
  }

  private static Views.LiveMission live(boolean active) {
    return new Views.LiveMission("m-1", "p", "v1", active ? "RUNNING" : "FINISHED", null, "2026-12-01 10:00:00",
        "2026-12-01 10:00:01", List.of(), DagLayout.layout(List.of()), List.of(), active, false, false, 1);
  }

  private static List<String> triggers(String html) {
    Matcher m = TRIGGER.matcher(html);
    List<String> found = new java.util.ArrayList<>();
    while (m.find()) {
      found.add(m.group(1).replace("&#39;", "'"));
    }
    return found;
  }
}
