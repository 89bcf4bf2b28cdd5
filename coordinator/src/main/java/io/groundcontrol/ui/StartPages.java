package io.groundcontrol.ui;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Starting a mission from a form generated from the plan's params. Each render of the form carries
 * a fresh idempotency key, sent with the start: a form submitted twice (a double click, a resent
 * POST) starts one mission, and both submits land on its page.
 */
final class StartPages {
  private final ApiCalls api;
  private final Templates templates;

  StartPages(ApiCalls api, Templates templates) {
    this.api = api;
    this.templates = templates;
  }

  void form(Context ctx, Session session) {
    requireOperator(session);
    JsonNode plan = plan(session, ctx.pathParam("name"));
    render(ctx, 200, session, plan, ParamForm.fields(plan.path("plan")), UUID.randomUUID().toString(), null);
  }

  void submit(Context ctx, Session session) {
    String name = ctx.pathParam("name");
    JsonNode plan = plan(session, name);
    Map<String, String> typed = new LinkedHashMap<>();
    ctx.formParamMap().forEach((field, values) -> {
      if (field.startsWith("param.") && !values.isEmpty()) {
        typed.put(field.substring("param.".length()), values.get(0));
      }
    });
    String idempotencyKey = ctx.formParam("idempotencyKey");
    if (idempotencyKey == null || idempotencyKey.isBlank()) {
      idempotencyKey = UUID.randomUUID().toString();
    }
    ParamForm.Reading reading = ParamForm.read(ParamForm.fields(plan.path("plan")), typed);
    if (!reading.valid()) {
      render(ctx, 400, session, plan, reading.fields(), idempotencyKey, "Expected every field to be valid, but "
          + reading.fields().stream().filter(f -> f.error() != null).count() + " are not: see below");
      return;
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("plan", name);
    body.put("params", reading.params());
    ApiCalls.Answer answer = api.post(session.key(), "/missions", body, Map.of("Idempotency-Key", idempotencyKey));
    if (answer.status() == 401 || answer.status() == 403) {
      throw ApiError.of(answer);
    }
    if (!answer.ok()) {
      String message = ApiError.of(answer).getMessage();
      render(ctx, answer.status(), session, plan, atField(reading.fields(), message), idempotencyKey, message);
      return;
    }
    String undecided = undecided(answer);
    if (undecided != null) {
      render(ctx, 202, session, plan, reading.fields(), idempotencyKey, undecided);
      return;
    }
    String id = ApiCalls.parse(answer.body()).path("missionId").asText();
    ctx.redirect("/ui/missions/" + ApiCalls.segment(id));
  }

  /**
   * What the form says when the API queued the start without a decision within its wait (202): the
   * mission's page may not exist yet, and the coordinator may still refuse the start. Null for a
   * decided start. The form keeps its idempotency key, so submitting it again names the same
   * mission and shows what was decided.
   */
  static String undecided(ApiCalls.Answer answer) {
    if (answer.status() != 202) {
      return null;
    }
    String id = ApiCalls.parse(answer.body()).path("missionId").asText();
    return "Mission " + id + " is queued, but the coordinator has not decided its start yet, so it may still be"
        + " refused: submit again to see what it decided (the same form names the same mission, not a second one)";
  }

  private JsonNode plan(Session session, String name) {
    return api.get(session.key(), "/plans/" + ApiCalls.segment(name)).json();
  }

  /** A viewer gets the API's refusal here rather than a form it could not submit. */
  private static void requireOperator(Session session) {
    if (!session.canOperate()) {
      throw new ApiError(403, "Expected a key with role OPERATOR or above to start missions, but key '"
          + session.name() + "' has role " + session.role());
    }
  }

  /** The fields with the coordinator's rejection shown at each param it names. */
  private static List<ParamField> atField(List<ParamField> fields, String message) {
    List<ParamField> marked = new ArrayList<>();
    for (ParamField field : fields) {
      boolean named = message.contains("'" + field.name() + "'");
      marked.add(named ? field.withInput(field.value(), message) : field);
    }
    return marked;
  }

  private void render(Context ctx, int status, Session session, JsonNode plan, List<ParamField> fields,
      String idempotencyKey, String error) {
    String name = plan.path("name").asText();
    templates.render(ctx, status, "start.jte", new Views.StartPage(new Views.Chrome("Start " + name, session, "plans"),
        name, plan.path("version").asText(), plan.path("plan").path("description").asText(null), fields,
        idempotencyKey, error));
  }
}
