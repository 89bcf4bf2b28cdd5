package io.groundcontrol.ui;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The mission list, a mission's page with its live part and timeline, downloads and operations. */
final class MissionPages {
  static final int PAGE_SIZE = 50;
  /**
   * The event the live part triggers on its page (by {@code HX-Trigger}) with the sequence of the
   * last event the mission applied, for its ended timeline to tell whether it is behind.
   */
  static final String MISSION_SEQUENCE = "mission-sequence";
  private static final List<String> STATUSES = List.of("WAITING", "RUNNING", "FINISHED", "FAILED", "CANCELLED");
  private static final Set<String> OPERATIONS = Set.of("retry", "skip", "fail");

  private final ApiCalls api;
  private final Templates templates;
  private final PlanVersions plans;

  MissionPages(ApiCalls api, Templates templates) {
    this.api = api;
    this.templates = templates;
    this.plans = new PlanVersions(api);
  }

  void list(Context ctx, Session session) {
    Views.MissionFilters filters = filters(ctx);
    Listed listed = filters.error() == null ? rows(ctx, session, filters) : new Listed(new Views.Rows(List.of(), null), null);
    List<String> planNames = new ArrayList<>();
    api.get(session.key(), "/plans").json().path("plans").forEach(p -> planNames.add(p.path("name").asText()));
    String cursor = ctx.queryParam("cursor");
    String next = listed.nextCursor();
    templates.render(ctx, filters.error() == null ? 200 : 400, "missions.jte", new Views.MissionsPage(
        new Views.Chrome("Missions", session, "missions"), filters, listed.rows(),
        next == null ? null : listUrl("/ui/missions", filters, next),
        cursor == null ? null : listUrl("/ui/missions", filters, null),
        planNames.stream().sorted().toList(), STATUSES));
  }

  /** The rows of one page, polled by the list for live status. */
  void rows(Context ctx, Session session) {
    Views.MissionFilters filters = filters(ctx);
    if (filters.error() != null) {
      ctx.status(400).result(filters.error());
      return;
    }
    templates.render(ctx, 200, "rows.jte", rows(ctx, session, filters).rows());
  }

  /** A page of the list and where the next one starts (null on the last). */
  private record Listed(Views.Rows rows, String nextCursor) {}

  private Listed rows(Context ctx, Session session, Views.MissionFilters filters) {
    String cursor = ctx.queryParam("cursor");
    Map<String, String> query = apiQuery(filters);
    query.put("cursor", cursor);
    query.put("limit", Integer.toString(PAGE_SIZE));
    JsonNode page = api.get(session.key(), ApiCalls.withQuery("/missions", query)).json();
    List<Views.MissionRow> missions = new ArrayList<>();
    for (JsonNode m : page.path("missions")) {
      List<String> counts = new ArrayList<>();
      m.path("stageCounts").fields().forEachRemaining(e -> counts.add(e.getValue().asInt() + " " + e.getKey()));
      missions.add(new Views.MissionRow(m.path("missionId").asText(), m.path("plan").asText(),
          m.path("status").asText(), Times.shortTime(m.path("startedAt").asText(null)),
          Times.shortTime(m.path("updatedAt").asText(null)), String.join(" · ", counts), m.path("reason").asText(null)));
    }
    return new Listed(new Views.Rows(missions, listUrl("/ui/missions/rows", filters, cursor)),
        page.path("nextCursor").asText(null));
  }

  void show(Context ctx, Session session) {
    templates.render(ctx, 200, "mission.jte",
        new Views.MissionPage(new Views.Chrome("Mission " + ctx.pathParam("id"), session, "missions"),
            live(session, ctx.pathParam("id")), Notice.take(ctx, session)));
  }

  /**
   * The live part, polled. A mission forgotten while its page is open gets a part that says so and
   * polls no more: htmx swaps nothing of a 404 and would poll on under the status last shown.
   */
  void live(Context ctx, Session session) {
    String id = ctx.pathParam("id");
    Views.LiveMission live;
    try {
      live = live(session, id);
    } catch (ApiError e) {
      if (e.status() != 404) {
        throw e;
      }
      templates.render(ctx, 200, "gone.jte", new Views.GoneMission(id, e.getMessage()));
      return;
    }
    ctx.header("HX-Trigger", "{\"" + MISSION_SEQUENCE + "\": " + live.sequence() + "}");
    templates.render(ctx, 200, "live.jte", live);
  }

  void timeline(Context ctx, Session session) {
    String id = ctx.pathParam("id");
    JsonNode events = api.get(session.key(), "/missions/" + ApiCalls.segment(id) + "/events").json();
    templates.render(ctx, 200, "timeline.jte", Timeline.of(events));
  }

  void download(Context ctx, Session session, String format) {
    String id = ctx.pathParam("id");
    ApiCalls.Answer answer = api.get(session.key(), "/missions/" + ApiCalls.segment(id) + "/outputs?format=" + format);
    if (!answer.ok()) {
      throw ApiError.of(answer);
    }
    String file = id.replaceAll("[^A-Za-z0-9._-]", "_") + "-outputs." + format;
    ctx.status(200).contentType(answer.contentType())
        .header("Content-Disposition", "attachment; filename=\"" + file + "\"").result(answer.body());
  }

  void cancel(Context ctx, Session session) {
    String id = ctx.pathParam("id");
    command(ctx, session, id, "/missions/" + ApiCalls.segment(id) + "/cancel",
        Map.of("reason", "cancelled in the web UI"), "The cancel of the mission", "Cancelled the mission");
  }

  void operate(Context ctx, Session session) {
    String id = ctx.pathParam("id");
    String stage = ctx.pathParam("stage");
    String action = ctx.pathParam("action");
    if (!OPERATIONS.contains(action)) {
      throw new ApiError(404, "Expected one of " + OPERATIONS + " on a stage, but got '" + action + "'");
    }
    Map<String, Object> body = action.equals("retry") ? Map.of("withDownstream", true)
        : Map.of("reason", action + " in the web UI");
    command(ctx, session, id, "/missions/" + ApiCalls.segment(id) + "/stages/" + ApiCalls.segment(stage) + "/" + action,
        body, "The " + action + " of stage '" + stage + "'",
        capitalised(action) + " of stage '" + stage + "' accepted");
  }

  /**
   * Sends a command and shows the mission again with what came of it. A refusal for the user's
   * role is an error page (403); a rejection by the coordinator (409, e.g. the stage is no longer
   * FAILED) is shown on the mission's page as the notice.
   *
   * @param command the command in words, for a notice that it is not decided yet
   * @param done the notice once the coordinator accepted it
   */
  private void command(Context ctx, Session session, String id, String path, Object body, String command,
      String done) {
    ApiCalls.Answer answer = api.post(session.key(), path, body, Map.of());
    if (answer.status() == 401 || answer.status() == 403 || answer.status() == 404) {
      throw ApiError.of(answer);
    }
    Notice.redirect(ctx, session, "/ui/missions/" + ApiCalls.segment(id), notice(answer, command, done));
  }

  /**
   * What the mission's page says of the API's answer to a command: done, refused with the
   * coordinator's reason, or (202) queued without a decision within the API's wait, when the
   * coordinator may still refuse it.
   */
  static String notice(ApiCalls.Answer answer, String command, String done) {
    if (!answer.ok()) {
      return ApiError.of(answer).getMessage();
    }
    if (answer.status() == 202) {
      return command + " is queued; the coordinator has not decided it yet, so it may still be refused";
    }
    return done;
  }

  private Views.LiveMission live(Session session, String id) {
    JsonNode mission = api.get(session.key(), "/missions/" + ApiCalls.segment(id)).json();
    JsonNode plan = plans.plan(session.key(), mission.path("plan").asText(), mission.path("planVersion").asText());
    Map<String, JsonNode> planStages = new LinkedHashMap<>();
    for (JsonNode stage : plan.path("stages")) {
      planStages.put(stage.path("name").asText(), stage);
    }
    String status = mission.path("status").asText();
    List<Views.StageRow> rows = new ArrayList<>();
    List<DagLayout.Stage> drawn = new ArrayList<>();
    for (JsonNode stage : mission.path("stages")) {
      String name = stage.path("name").asText();
      String state = stage.path("status").asText();
      int attempt = stage.path("attempt").asInt();
      boolean chunked = stage.path("chunks").isObject();
      JsonNode reused = stage.path("reusedFrom");
      JsonNode spec = planStages.getOrDefault(name, ApiCalls.JSON.createObjectNode());
      List<String> upstream = new ArrayList<>();
      spec.path("upstream").forEach(u -> upstream.add(u.asText()));
      drawn.add(new DagLayout.Stage(name, upstream, state, StageCaption.of(stage)));
      rows.add(new Views.StageRow(name, spec.path("component").asText(null), state, attempt,
          stage.path("worker").asText(null), Times.shortTime(stage.path("updatedAt").asText(null)),
          stage.path("error").asText(null), stage.path("errorDetail").asText(null), outputs(stage.path("outputs")),
          StageCaption.chunks(stage), stage.path("note").asText(null), reused.path("description").asText(null),
          reused.isObject() ? "/ui/missions/" + ApiCalls.segment(reused.path("missionId").asText()) + "#stage-"
              + reused.path("stage").asText() : null,
          StageOperations.canRetry(status, state), StageOperations.retryConfirmation(id, name, stage.path("chunks")),
          StageOperations.canSkip(status, state, chunked),
          StageOperations.canFail(status, state, chunked)));
    }
    return new Views.LiveMission(id, mission.path("plan").asText(), mission.path("planVersion").asText(), status,
        mission.path("reason").asText(null), Times.shortTime(mission.path("startedAt").asText(null)),
        Times.shortTime(mission.path("updatedAt").asText(null)), outputs(mission.path("params")),
        DagLayout.layout(drawn), rows, StageOperations.canCancel(status), session.canOperate(),
        mission.path("stale").asBoolean(false), mission.path("sequence").asLong());
  }

  private static List<Views.Output> outputs(JsonNode values) {
    List<Views.Output> out = new ArrayList<>();
    values.fields().forEachRemaining(e -> out.add(new Views.Output(e.getKey(), e.getValue().asText())));
    return out;
  }

  private static Views.MissionFilters filters(Context ctx) {
    String plan = blankToNull(ctx.queryParam("plan"));
    String status = blankToNull(ctx.queryParam("status"));
    String after = blankToNull(ctx.queryParam("after"));
    String before = blankToNull(ctx.queryParam("before"));
    String error = null;
    if (status != null && !STATUSES.contains(status)) {
      error = "Expected a status among " + STATUSES + ", but got '" + status + "'";
    } else {
      for (String time : new String[] {after, before}) {
        if (time != null && instant(time) == null) {
          error = "Expected a time such as 2026-11-22T10:15 (UTC), but got '" + time + "'";
        }
      }
    }
    return new Views.MissionFilters(plan, status, after, before, error);
  }

  private static Map<String, String> apiQuery(Views.MissionFilters filters) {
    Map<String, String> query = new LinkedHashMap<>();
    query.put("plan", filters.plan());
    query.put("status", filters.status());
    query.put("startedAfter", filters.after() == null ? null : instant(filters.after()).toString());
    query.put("startedBefore", filters.before() == null ? null : instant(filters.before()).toString());
    return query;
  }

  private static String listUrl(String path, Views.MissionFilters filters, String cursor) {
    Map<String, String> query = new LinkedHashMap<>();
    query.put("plan", filters.plan());
    query.put("status", filters.status());
    query.put("after", filters.after());
    query.put("before", filters.before());
    query.put("cursor", cursor);
    return ApiCalls.withQuery(path, query);
  }

  /** A time from a filter: an instant, or a date and time from the browser's picker, read as UTC. */
  static Instant instant(String text) {
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException notInstant) {
      try {
        return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
      } catch (DateTimeParseException e) {
        return null;
      }
    }
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.strip();
  }

  private static String capitalised(String word) {
    return Character.toUpperCase(word.charAt(0)) + word.substring(1);
  }
}
