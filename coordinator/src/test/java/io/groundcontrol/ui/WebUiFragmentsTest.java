package io.groundcontrol.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.apikey.Role;
import io.groundcontrol.client.ApiKeyCache.Principal;
import io.javalin.Javalin;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The parts of pages that poll themselves, on the real {@link WebUi} in front of a stub API (no broker). */
class WebUiFragmentsTest {
  static final String KEY = "Cookie: groundcontrol_key=good\r\n";
  static final String FRAGMENT = KEY + "HX-Request: true\r\n";
  static final String OPERATOR = "Cookie: groundcontrol_key=operator\r\n";
  static final List<String> startsSent = new CopyOnWriteArrayList<>();
  static final List<String> firesSent = new CopyOnWriteArrayList<>();
  static Javalin api;
  static Javalin ui;

  @BeforeAll
  static void start() {
    api = Javalin.create(c -> {
      c.routes.get("/api/v1/missions/gone", ctx -> ctx.status(404).contentType("application/json").result(
          "{\"status\":404,\"error\":\"Expected mission 'gone' to exist, but it is unknown: never started, or"
              + " forgotten once its retention was over\",\"missionId\":\"gone\"}"));
      c.routes.get("/api/v1/missions/m-2", ctx -> ctx.contentType("application/json").result("""
          {"missionId": "m-2", "plan": "p", "planVersion": "v1", "status": "RUNNING", "sequence": 7,
           "startedAt": "2026-12-01T10:00:00Z", "updatedAt": "2026-12-01T10:00:01Z", "params": {},
           "stages": [{"name": "extract", "status": "REUSED", "attempt": 0, "outputs": {"rows": "42"},
             "updatedAt": "2026-12-01T10:00:01Z", "reusedFrom": {"missionId": "k.p.2026-11-30", "stage": "extract",
             "finishedAt": "2026-12-01T09:48:00Z",
             "description": "reused from mission k.p.2026-11-30, stage extract, 12 min old"}}]}"""));
      c.routes.get("/api/v1/missions/m-3", ctx -> ctx.contentType("application/json").result("""
          {"missionId": "m-3", "plan": "chunked", "planVersion": "v1", "status": "RUNNING", "sequence": 9,
           "startedAt": "2026-12-01T10:00:00Z", "updatedAt": "2026-12-01T10:00:01Z", "params": {},
           "stages": [{"name": "score", "status": "RUNNING", "attempt": 1, "outputs": {},
             "updatedAt": "2026-12-01T10:00:01Z",
             "chunks": {"total": 12, "done": 0, "running": 2, "waitingForSlot": 6, "failed": 0, "queued": 4, "cancelled": 0},
             "note": "6 chunks waiting for a slot of 'ml': 2 of 2 running"}]}"""));
      c.routes.get("/api/v1/plans/chunked/versions/v1", ctx -> ctx.contentType("application/json").result("""
          {"name": "chunked", "version": "v1", "plan": {"name": "chunked", "stages": [
             {"name": "score", "component": "ml", "foreach": "${params.ids}"}]}}"""));
      c.routes.get("/api/v1/plans/p", ctx -> ctx.contentType("application/json").result("""
          {"name": "p", "version": "v3", "plan": {"name": "p", "stages": [{"name": "extract", "component": "sql"}]},
           "versions": ["v3", "v1", "v2"],
           "applied": [{"version": "v3", "appliedAt": null}, {"version": "v1", "appliedAt": "2026-12-01T10:00:02Z"},
             {"version": "v2", "appliedAt": "2026-12-01T10:00:01Z"}]}"""));
      c.routes.get("/api/v1/plans/chunked", ctx -> ctx.contentType("application/json").result("""
          {"name": "chunked", "version": "v1", "versions": ["v1"], "applied": [],
           "plan": {"name": "chunked", "defaults": {"retry": {"attempts": 2, "backoff": "500ms"}}, "stages": [
             {"name": "list", "component": "sql"},
             {"name": "score", "component": "ml", "upstream": ["list"], "params": {"ids": "${chunk.items}"},
              "foreach": "${stages.list.outputs.ids}", "chunk_size": 3, "max_parallel": 2,
              "retry": {"attempts": 1, "backoff": "1000ms"}, "timeout": "3000ms"}]}}"""));
      c.routes.post("/api/v1/missions", ctx -> {
        startsSent.add(ctx.body());
        if (ctx.body().contains("\"priority\":\"high\"")) {
          ctx.status(400).contentType("application/json").result("{\"status\":400,\"error\":\"Expected field 'priority' "
              + "to be a whole number from -2147483648 to 2147483647, as mission start --priority takes, but got \\\"high\\\"\"}");
        } else {
          ctx.status(201).contentType("application/json").result("{\"missionId\":\"m-9\"}");
        }
      });
      c.routes.get("/api/v1/schedules", ctx -> ctx.contentType("application/json").result("""
          {"schedules": [{"name": "nightly", "plan": "p", "when": "0 2 * * * UTC", "overlap": "SKIP", "priority": 5,
            "nextFires": ["2026-12-08T02:00:00Z"], "pausedInFile": false},
           {"name": "hourly", "plan": "p", "when": "0 * * * * UTC", "overlap": "SKIP", "priority": 0,
            "nextFires": [], "pausedInFile": false}]}"""));
      c.routes.post("/api/v1/schedules/nightly/trigger", ctx -> {
        firesSent.add(ctx.body());
        if (ctx.body().contains("\"priority\":\"high\"")) {
          ctx.status(400).contentType("application/json").result("{\"status\":400,\"error\":\"Expected field 'priority' "
              + "to be a whole number from -2147483648 to 2147483647, as mission start --priority takes, but got \\\"high\\\"\"}");
        } else {
          ctx.status(200).contentType("application/json").result("{\"missionId\":\"s.nightly.manual-1\"}");
        }
      });
      c.routes.get("/api/v1/plans/p/versions/v1", ctx -> ctx.contentType("application/json").result("""
          {"name": "p", "version": "v1", "plan": {"name": "p", "stages": [{"name": "extract", "component": "sql"}]}}"""));
    }).start("127.0.0.1", 0);
    WebUi web = new WebUi(() -> "http://127.0.0.1:" + api.port() + "/api/v1",
        key -> switch (key) {
          case "good" -> Optional.of(new Principal("id", "alice", Role.VIEWER));
          case "operator" -> Optional.of(new Principal("id2", "bob", Role.OPERATOR));
          default -> Optional.empty();
        });
    ui = Javalin.create(web::mount).start("127.0.0.1", 0);
  }

  @AfterAll
  static void stop() {
    ui.stop();
    api.stop();
  }

  /**
   * A mission's page left open while retention forgets the mission: htmx swaps nothing of an error
   * answer and polls on, logging an error every 10 s under a status that is no longer true.
   */
  @Test
  void theLivePartOfAMissionForgottenSinceSaysSoAndStopsPolling() throws IOException {
    String answer = WebUiSecurityTest.send(ui, "GET", "/ui/missions/gone/live", FRAGMENT, "");

    assertThat(answer).startsWith("HTTP/1.1 200");
    String body = answer.substring(answer.indexOf("\r\n\r\n"));
    assertThat(body).contains("<div id=\"live\"").contains("forgotten once its retention was over")
        .doesNotContain("hx-trigger").doesNotContain("<html");
  }

  /** As {@code mission show} and the log say it, with a link to the mission whose result it took. */
  @Test
  void aReusedStageSaysWhereItsResultCameFrom() throws IOException {
    String answer = WebUiSecurityTest.send(ui, "GET", "/ui/missions/m-2/live", FRAGMENT, "");

    assertThat(answer).startsWith("HTTP/1.1 200").contains("reused from mission k.p.2026-11-30, stage extract, 12 min old")
        .contains("href=\"/ui/missions/k.p.2026-11-30#stage-extract\"");
  }

  /**
   * A walkthrough read "8 chunks out" on the page of a stage whose chunks mostly waited for a slot:
   * the row says where every chunk stands, as `mission show` does, and then why they wait.
   */
  @Test
  void aFannedOutStageShowsWhereItsChunksStandBesideItsNote() throws IOException {
    String answer = WebUiSecurityTest.send(ui, "GET", "/ui/missions/m-3/live", FRAGMENT, "");

    assertThat(answer).startsWith("HTTP/1.1 200")
        .contains("<div class=\"chunks\">chunks: 0/12 done, 2 running, 6 waiting for a slot, 0 failed, 4 queued</div>")
        .contains("<div class=\"note\">6 chunks waiting for a slot of 'ml': 2 of 2 running</div>");
  }

  /** The ended timeline of a mission retried from the CLI learns from this that it is behind. */
  @Test
  void theLivePartTellsThePageTheSequenceOfTheMissionsLastEvent() throws IOException {
    String going = WebUiSecurityTest.send(ui, "GET", "/ui/missions/m-2/live", FRAGMENT, "");
    String gone = WebUiSecurityTest.send(ui, "GET", "/ui/missions/gone/live", FRAGMENT, "");

    assertThat(going.substring(0, going.indexOf("\r\n\r\n"))).containsIgnoringCase("\r\nHX-Trigger: {\"mission-sequence\": 7}\r\n");
    assertThat(gone.substring(0, gone.indexOf("\r\n\r\n"))).doesNotContainIgnoringCase("HX-Trigger");
  }

  /** In the order the API gives, newest applied first (v1 was applied again after v2), with when. */
  @Test
  void aPlansVersionsAreListedNewestAppliedFirstWithWhen() throws IOException {
    String answer = WebUiSecurityTest.send(ui, "GET", "/ui/plans/p", KEY, "");

    assertThat(answer).startsWith("HTTP/1.1 200");
    String versions = answer.substring(answer.indexOf("<ul class=\"versions\">"));
    assertThat(versions.indexOf(">v3<")).isLessThan(versions.indexOf(">v1<"));
    assertThat(versions.indexOf(">v1<")).isLessThan(versions.indexOf(">v2<"));
    assertThat(versions).contains("<code>v1</code></a> applied 2026-12-01 10:00:02 UTC")
        .contains("<code>v3</code></a> (latest)");
  }

  /** The page showed a stage's component, upstream and params only: not that it runs in chunks, nor its retry. */
  @Test
  void aPlansPageShowsWhatEachStageSetsBeyondItsParamsAndThePlansDefaults() throws IOException {
    String answer = WebUiSecurityTest.send(ui, "GET", "/ui/plans/chunked", KEY, "");

    assertThat(answer).startsWith("HTTP/1.1 200");
    String score = answer.substring(answer.indexOf("<tr><td>score</td>"));
    score = score.substring(0, score.indexOf("</tr>"));
    assertThat(score).contains("<td><code>{\"foreach\":\"${stages.list.outputs.ids}\",\"chunk_size\":3,"
        + "\"max_parallel\":2,\"retry\":{\"attempts\":1,\"backoff\":\"1000ms\"},\"timeout\":\"3000ms\"}</code></td>");
    assertThat(score.indexOf("foreach")).as("beyond the params, not among them").isGreaterThan(score.indexOf("chunk.items"));
    String list = answer.substring(answer.indexOf("<tr><td>list</td>"));
    assertThat(list.substring(0, list.indexOf("</tr>"))).endsWith("<td></td>");
    assertThat(answer).contains("<p id=\"plan-defaults\">")
        .contains("<code>{\"retry\":{\"attempts\":2,\"backoff\":\"500ms\"}}</code>");
  }

  /** The form had no priority, so a mission started from the UI always ran at 0. */
  @Test
  void theStartFormSendsThePriorityTyped() throws IOException {
    assertThat(WebUiSecurityTest.send(ui, "GET", "/ui/plans/p/start", OPERATOR, "")).contains("name=\"priority\"");
    startsSent.clear();

    String answer = postForm("/ui/plans/p/start", "idempotencyKey=k1&priority=+7+");

    assertThat(answer).startsWith("HTTP/1.1 302").contains("Location: /ui/missions/m-9");
    assertThat(startsSent).containsExactly("{\"plan\":\"p\",\"params\":{},\"priority\":7}");
  }

  @Test
  void aPriorityTheApiRefusesIsShownWithTheFormAsTyped() throws IOException {
    startsSent.clear();
    String answer = postForm("/ui/plans/p/start", "idempotencyKey=k2&priority=high");

    assertThat(answer).startsWith("HTTP/1.1 400").contains("Expected field 'priority' to be a whole number")
        .contains("name=\"priority\" value=\"high\"");
    assertThat(postForm("/ui/plans/p/start", "idempotencyKey=k3&priority=")).startsWith("HTTP/1.1 302");
    assertThat(startsSent.get(1)).as("blank: the API's default").isEqualTo("{\"plan\":\"p\",\"params\":{}}");
  }

  /** The fire-now had no priority, so a schedule fired for an urgent rerun queued behind the backfills. */
  @Test
  void aFireNowSendsThePriorityTypedAndTheRowSaysTheSchedulesOwn() throws IOException {
    String page = WebUiSecurityTest.send(ui, "GET", "/ui/schedules", OPERATOR, "");
    String nightly = page.substring(page.indexOf("data-schedule=\"nightly\""), page.indexOf("data-schedule=\"hourly\""));
    assertThat(nightly).contains("name=\"priority\" value=\"\" placeholder=\"priority 5\"");
    firesSent.clear();

    String answer = postForm("/ui/schedules/nightly/trigger", "priority=+42+");

    assertThat(answer).startsWith("HTTP/1.1 302").contains("Location: /ui/schedules");
    assertThat(firesSent).containsExactly("{\"priority\":42}");
  }

  @Test
  void aFireNowWithoutAPriorityLeavesTheSchedulesOwn() throws IOException {
    firesSent.clear();

    String answer = postForm("/ui/schedules/nightly/trigger", "priority=+");

    assertThat(answer).startsWith("HTTP/1.1 302");
    assertThat(firesSent).as("blank: the schedule's priority").containsExactly("{}");
  }

  @Test
  void aFireNowPriorityTheApiRefusesIsShownWithTheFieldAsTyped() throws IOException {
    firesSent.clear();

    String answer = postForm("/ui/schedules/nightly/trigger", "priority=high");

    assertThat(answer).startsWith("HTTP/1.1 400").contains("<p class=\"notice\" id=\"notice\">Expected field 'priority' to be a "
        + "whole number from -2147483648 to 2147483647, as mission start --priority takes, but got \"high\"</p>");
    String nightly = answer.substring(answer.indexOf("data-schedule=\"nightly\""), answer.indexOf("data-schedule=\"hourly\""));
    assertThat(nightly).contains("name=\"priority\" value=\"high\"");
    assertThat(answer.substring(answer.indexOf("data-schedule=\"hourly\""))).as("only the fire-now refused")
        .contains("name=\"priority\" value=\"\"");
    assertThat(firesSent).containsExactly("{\"priority\":\"high\"}");
  }

  @Test
  void theMissionsPageOfAnUnknownMissionIsStillNotFound() throws IOException {
    assertThat(WebUiSecurityTest.send(ui, "GET", "/ui/missions/gone", KEY, "")).startsWith("HTTP/1.1 404");
  }

  /** An operator's form post to {@code path} with {@code body}, as the browser sends it; the raw answer. */
  private String postForm(String path, String body) throws IOException {
    return WebUiSecurityTest.send(ui, "POST", path, OPERATOR + "Content-Type: application/x-www-form-urlencoded\r\n", body);
  }
}
