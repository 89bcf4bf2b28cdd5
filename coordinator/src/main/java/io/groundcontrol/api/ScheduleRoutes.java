package io.groundcontrol.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.groundcontrol.apikey.Role;
import io.groundcontrol.mission.MissionIds;
import io.groundcontrol.query.QueryUnavailableException;
import io.groundcontrol.query.ScheduleDocument;
import io.groundcontrol.query.SchedulePage;
import io.groundcontrol.schema.PauseSchedule;
import io.groundcontrol.schema.ResumeSchedule;
import io.groundcontrol.schema.ScheduleCommandRejected;
import io.groundcontrol.schema.ScheduleEvent;
import io.groundcontrol.schema.ScheduleFired;
import io.groundcontrol.schema.TriggerSchedule;
import io.groundcontrol.trigger.TriggerPage;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Schedules: list and show (next fires, last mission and its status, pause), and an operator's
 * pause (with a reason), resume and fire-now (with params), each answered once the scheduler
 * decided, or 202 if it did not within the wait. Event triggers: list, with whether each reads
 * its topic (as {@code schedule list} shows both).
 */
final class ScheduleRoutes {
  /** Body of a pause. */
  record PauseRequest(String reason) {}

  /** Body of a fire-now: params and priority override the schedule's own, params as JSON values. */
  record TriggerRequest(Map<String, JsonNode> params, JsonNode priority) {}

  private static final String UNKNOWN = "but it is unknown";

  private final Supplier<Backend> backend;

  ScheduleRoutes(Supplier<Backend> backend) {
    this.backend = backend;
  }

  List<ApiRoute> routes() {
    return List.of(
        ApiRoute.get("/api/v1/schedules", Role.VIEWER, this::list),
        ApiRoute.get("/api/v1/schedules/{name}", Role.VIEWER, this::show),
        ApiRoute.post("/api/v1/schedules/{name}/pause", Role.OPERATOR, this::pause),
        ApiRoute.post("/api/v1/schedules/{name}/resume", Role.OPERATOR, this::resume),
        ApiRoute.post("/api/v1/schedules/{name}/trigger", Role.OPERATOR, this::trigger),
        ApiRoute.get("/api/v1/triggers", Role.VIEWER, this::triggers));
  }

  /** The event triggers, each with whether this instance reads its topic: an inert one says why. */
  private void triggers(Context ctx) {
    Json.send(ctx, 200, new TriggerPage(backend.get().triggers().get()));
  }

  private void list(Context ctx) {
    Json.send(ctx, 200, new SchedulePage(backend.get().schedules().list(Access.credentials(ctx))));
  }

  private void show(Context ctx) {
    Json.send(ctx, 200, existing(ctx, ctx.pathParam("name")));
  }

  private void pause(Context ctx) {
    PauseRequest request = Json.body(ctx, PauseRequest.class);
    String reason = request.reason() == null || request.reason().isBlank() ? null : request.reason().strip();
    command(ctx, new PauseSchedule(reason));
  }

  private void resume(Context ctx) {
    Json.body(ctx, Map.class);
    command(ctx, new ResumeSchedule());
  }

  private void trigger(Context ctx) {
    TriggerRequest request = Json.body(ctx, TriggerRequest.class);
    Map<String, String> params = new LinkedHashMap<>();
    if (request.params() != null) {
      request.params().forEach((name, value) -> params.put(name, Json.text(value)));
    }
    command(ctx, new TriggerSchedule(params, CommandRoutes.priority(request.priority()).orElse(null)));
  }

  /** Sends the command to an existing schedule and answers with what the scheduler decided. */
  private void command(Context ctx, Object command) {
    String name = ctx.pathParam("name");
    existing(ctx, name);
    Backend b = backend.get();
    ScheduleGateway.Sent sent = b.scheduleCommands().send(b.actor(Access.principal(ctx).name()), name, command,
        b.commandWait());
    if (sent.answer().isEmpty()) {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("schedule", name);
      if (command instanceof TriggerSchedule) {
        body.put("missionId", MissionIds.forManualFire(name, sent.issuedAt()));
      }
      body.put("message", "The command is queued, but the scheduler did not decide on it within "
          + b.commandWait().toSeconds() + " s; list the schedules to see what it decides");
      Json.send(ctx, 202, body);
      return;
    }
    ScheduleEvent answer = sent.answer().get();
    if (answer.getEvent() instanceof ScheduleCommandRejected rejected) {
      // The scheduler's rejections carry no typed reason; an unknown schedule is the only one that is not a state.
      int status = rejected.getReason().endsWith(UNKNOWN) ? 404 : 409;
      throw new ApiException(status, rejected.getReason(), Map.of("schedule", name, "input", rejected.getInput()));
    }
    Object after = afterDecision(ctx, name);
    if (answer.getEvent() instanceof ScheduleFired fired) {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("missionId", fired.getMissionId());
      body.put("schedule", after);
      Json.send(ctx, 201, body);
      return;
    }
    Json.send(ctx, 200, after);
  }

  /**
   * The schedule as read after a decided command (a trigger may have started a mission), or where
   * to read it if it cannot be read now ({@link AfterDecision}).
   */
  private Object afterDecision(Context ctx, String name) {
    try {
      return existing(ctx, name);
    } catch (QueryUnavailableException e) {
      return AfterDecision.unreadable("schedule", name, "schedule", "/api/v1/schedules/" + name, e);
    }
  }

  private ScheduleDocument existing(Context ctx, String name) {
    return backend.get().schedules().schedule(name, Access.credentials(ctx))
        .orElseThrow(() -> ApiException.notFound("Expected schedule '" + name + "' to be applied, " + UNKNOWN));
  }
}
