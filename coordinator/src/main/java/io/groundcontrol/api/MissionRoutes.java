package io.groundcontrol.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.groundcontrol.apikey.Role;
import io.groundcontrol.client.LogReadTimeoutException;
import io.groundcontrol.client.MissionLog;
import io.groundcontrol.audit.EventFields;
import io.groundcontrol.audit.MissionLives;
import io.groundcontrol.query.MissionDocument;
import io.groundcontrol.query.MissionFilter;
import io.groundcontrol.query.StageDocument;
import io.groundcontrol.schema.MissionEvent;
import io.groundcontrol.schema.MissionStatus;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** Reading missions: show, list with filters and paging, outputs, the audit timeline. */
final class MissionRoutes {
  static final int DEFAULT_PAGE = 50;
  /** How long a timeline may take to read from the log. */
  static final Duration EVENTS_READ_LIMIT = Duration.ofSeconds(20);

  private final Supplier<Backend> backend;
  private final Clock clock = Clock.systemUTC();

  MissionRoutes(Supplier<Backend> backend) {
    this.backend = backend;
  }

  List<ApiRoute> routes() {
    return List.of(
        ApiRoute.get("/api/v1/missions", Role.VIEWER, this::list),
        ApiRoute.get("/api/v1/missions/{id}", Role.VIEWER, this::show),
        ApiRoute.get("/api/v1/missions/{id}/outputs", Role.VIEWER, this::outputs),
        ApiRoute.get("/api/v1/missions/{id}/events", Role.VIEWER, this::events));
  }

  private void list(Context ctx) {
    MissionFilter filter = new MissionFilter(
        enumParam(ctx, "status"), ctx.queryParam("plan"), instantParam(ctx, "startedAfter"),
        instantParam(ctx, "startedBefore"));
    int limit = intParam(ctx, "limit", DEFAULT_PAGE);
    try {
      Json.send(ctx, 200, backend.get().queries().list(filter, ctx.queryParam("cursor"), limit, Access.credentials(ctx)));
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(e.getMessage());
    }
  }

  private void show(Context ctx) {
    Json.send(ctx, 200, MissionNotes.add(backend.get(), mission(ctx), clock));
  }

  private void outputs(Context ctx) {
    MissionDocument mission = mission(ctx);
    String format = ctx.queryParam("format");
    if ("csv".equalsIgnoreCase(format)) {
      StringBuilder csv = new StringBuilder("stage,output,value\r\n");
      for (StageDocument stage : mission.stages()) {
        stage.outputs().forEach((name, value) ->
            csv.append(Csv.cell(stage.name())).append(',').append(Csv.cell(name)).append(',')
                .append(Csv.cell(value)).append("\r\n"));
      }
      ctx.status(200).contentType("text/csv; charset=utf-8")
          .header("Content-Disposition", "attachment; filename=\"" + mission.missionId() + "-outputs.csv\"")
          .result(csv.toString());
      return;
    }
    if (format != null && !"json".equalsIgnoreCase(format)) {
      throw ApiException.badRequest("Expected format json or csv, but got '" + format + "'");
    }
    Map<String, Map<String, JsonNode>> stages = new LinkedHashMap<>();
    for (StageDocument stage : mission.stages()) {
      if (!stage.outputs().isEmpty()) {
        Map<String, JsonNode> values = new LinkedHashMap<>();
        stage.outputs().forEach((name, value) -> values.put(name, Json.parse(value)));
        stages.put(stage.name(), values);
      }
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("missionId", mission.missionId());
    body.put("status", mission.status());
    body.put("outputs", stages);
    Json.send(ctx, 200, body);
  }

  /**
   * The mission's events from the log, oldest first: the audit timeline, with causes. Read from
   * the mission's start on in the one partition of its id, and given up on, with a 504, after
   * {@link #EVENTS_READ_LIMIT}, before the web UI's own timeout.
   */
  private void events(Context ctx) {
    String id = ctx.pathParam("id");
    Instant startedAt = Instant.parse(mission(ctx).startedAt());
    List<String> problems = new ArrayList<>();
    List<Map<String, Object>> events = new ArrayList<>();
    try (MissionLog log = new MissionLog(backend.get().kafka(), backend.get().topics())) {
      for (MissionEvent event : MissionLives.latest(log.readMissionSince(id, startedAt, EVENTS_READ_LIMIT, problems::add))) {
        events.add(EventFields.of(event));
      }
    } catch (LogReadTimeoutException e) {
      throw new ApiException(504, e.getMessage() + "; `groundcontrol audit mission` reads it without a time limit");
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("missionId", id);
    body.put("events", events);
    body.put("problems", problems);
    Json.send(ctx, 200, body);
  }

  /** The mission the path names, from whichever instance owns it; 404 if none has it. */
  private MissionDocument mission(Context ctx) {
    String id = ctx.pathParam("id");
    return backend.get().queries().mission(id, Access.credentials(ctx))
        .orElseThrow(() -> UnknownMission.notFound(id));
  }

  static int intParam(Context ctx, String name, int fallback) {
    String value = ctx.queryParam(name);
    if (value == null) {
      return fallback;
    }
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw ApiException.badRequest("Expected query parameter '" + name + "' to be a whole number, but got '" + value + "'");
    }
  }

  static MissionStatus enumParam(Context ctx, String name) {
    String value = ctx.queryParam(name);
    if (value == null) {
      return null;
    }
    try {
      return MissionStatus.valueOf(value.toUpperCase());
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("Expected query parameter '" + name + "' to be one of "
          + List.of(MissionStatus.values()) + ", but got '" + value + "'");
    }
  }

  static Instant instantParam(Context ctx, String name) {
    String value = ctx.queryParam(name);
    if (value == null) {
      return null;
    }
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException e) {
      throw ApiException.badRequest("Expected query parameter '" + name + "' to be an ISO-8601 instant "
          + "such as 2026-11-22T10:15:30Z, but got '" + value + "'");
    }
  }
}
