package io.groundcontrol.ui;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The schedules: next fires, last mission, pause; an operator pauses (with a reason), resumes and
 * fires (at a priority of its own, if given).
 */
final class SchedulePages {
  private final ApiCalls api;
  private final Templates templates;

  SchedulePages(ApiCalls api, Templates templates) {
    this.api = api;
    this.templates = templates;
  }

  void list(Context ctx, Session session) {
    render(ctx, 200, session, Notice.take(ctx, session), null);
  }

  private void render(Context ctx, int status, Session session, String notice, Views.TypedPriority refusedFire) {
    List<Views.ScheduleRow> rows = new ArrayList<>();
    for (JsonNode s : api.get(session.key(), "/schedules").json().path("schedules")) {
      List<String> next = new ArrayList<>();
      s.path("nextFires").forEach(f -> next.add(Times.shortTime(f.asText())));
      rows.add(new Views.ScheduleRow(s.path("name").asText(), s.path("plan").asText(), s.path("when").asText(),
          s.path("overlap").asText(), s.path("priority").asInt(), next.isEmpty() ? null : next.get(0),
          next.size() < 2 ? null : "then " + String.join(", ", next.subList(1, next.size())) + " UTC",
          s.path("pausedBy").asText(null), s.path("pauseReason").asText(null), s.path("pausedInFile").asBoolean(),
          s.path("lastMissionId").asText(null), s.path("lastMissionStatus").asText(null)));
    }
    templates.render(ctx, status, "schedules.jte", new Views.SchedulesPage(
        new Views.Chrome("Schedules", session, "schedules"), rows, session.canOperate(), notice, refusedFire));
  }

  /**
   * Pause (with the form's reason), resume or fire now (at the form's priority, else the
   * schedule's), through the API. A refusal for the user's role, or an unknown schedule, is an error
   * page; the scheduler's rejection (409) is the notice; a priority the API refuses (400) is shown
   * in its words on the page again, with the fire-now's field as typed.
   */
  void operate(Context ctx, Session session) {
    String name = ctx.pathParam("name");
    String action = ctx.pathParam("action");
    String priority = Objects.requireNonNullElse(ctx.formParam("priority"), "").strip();
    Map<String, Object> body = switch (action) {
      case "pause" -> {
        String reason = ctx.formParam("reason");
        yield reason == null || reason.isBlank() ? Map.of() : Map.of("reason", reason.strip());
      }
      case "resume" -> Map.of();
      case "trigger" -> priority.isEmpty() ? Map.of() : Map.of("priority", StartPages.priorityValue(priority));
      default -> throw new ApiError(404, "Expected pause, resume or trigger on a schedule, but got '" + action + "'");
    };
    ApiCalls.Answer answer = api.post(session.key(), "/schedules/" + ApiCalls.segment(name) + "/" + action, body,
        Map.of());
    if (answer.status() == 401 || answer.status() == 403 || answer.status() == 404) {
      throw ApiError.of(answer);
    }
    if (answer.status() == 400 && action.equals("trigger")) {
      render(ctx, 400, session, ApiError.of(answer).getMessage(), new Views.TypedPriority(name, priority));
      return;
    }
    Notice.redirect(ctx, session, "/ui/schedules", notice(name, action, answer));
  }

  private static String notice(String name, String action, ApiCalls.Answer answer) {
    if (!answer.ok()) {
      return ApiError.of(answer).getMessage();
    }
    if (answer.status() == 202) {
      return "Sent to schedule '" + name + "'; the scheduler has not answered yet";
    }
    return switch (action) {
      case "pause" -> "Paused schedule '" + name + "'";
      case "resume" -> "Resumed schedule '" + name + "'";
      default -> "Fired schedule '" + name + "': mission " + ApiCalls.parse(answer.body()).path("missionId").asText();
    };
  }
}
