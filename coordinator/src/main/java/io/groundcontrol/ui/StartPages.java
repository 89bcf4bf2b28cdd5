package io.groundcontrol.ui;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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
    render(ctx, 200, session, new Typed(plan, ParamForm.fields(plan.path("plan")), ""), UUID.randomUUID().toString(), null);
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
    String priority = Objects.requireNonNullElse(ctx.formParam("priority"), "").strip();
    String idempotencyKey = ctx.formParam("idempotencyKey");
    if (idempotencyKey == null || idempotencyKey.isBlank()) {
      idempotencyKey = UUID.randomUUID().toString();
    }
    ParamForm.Reading reading = ParamForm.read(ParamForm.fields(plan.path("plan")), typed);
    if (!reading.valid()) {
      render(ctx, 400, session, new Typed(plan, reading.fields(), priority), idempotencyKey, "Expected every field to be "
          + "valid, but " + reading.fields().stream().filter(f -> f.error() != null).count() + " are not: see below");
      return;
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("plan", name);
    body.put("params", reading.params());
    if (!priority.isEmpty()) {
      body.put("priority", priorityValue(priority));
    }
    ApiCalls.Answer answer = api.post(session.key(), "/missions", body, Map.of("Idempotency-Key", idempotencyKey));
    if (answer.status() == 401 || answer.status() == 403) {
      throw ApiError.of(answer);
    }
    if (!answer.ok()) {
      String message = ApiError.of(answer).getMessage();
      render(ctx, answer.status(), session, new Typed(plan, atField(reading.fields(), message), priority), idempotencyKey,
          message);
      return;
    }
    String undecided = undecided(answer);
    if (undecided != null) {
      render(ctx, 202, session, new Typed(plan, reading.fields(), priority), idempotencyKey, undecided);
      return;
    }
    String id = ApiCalls.parse(answer.body()).path("missionId").asText();
    ctx.redirect("/ui/missions/" + ApiCalls.segment(id));
  }

  /**
   * The priority as the API takes it: a whole number as a JSON number, anything else as typed, for
   * the API to refuse with its own message (which names the bounds), so the form checks nothing twice.
   */
  static Object priorityValue(String typed) {
    return typed.matches("-?[0-9]{1,30}") ? new BigInteger(typed) : typed;
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

  /** What the form shows again: the plan, its fields as typed and the priority as typed. */
  private record Typed(JsonNode plan, List<ParamField> fields, String priority) {}

  private void render(Context ctx, int status, Session session, Typed form, String idempotencyKey, String error) {
    String name = form.plan().path("name").asText();
    templates.render(ctx, status, "start.jte", new Views.StartPage(new Views.Chrome("Start " + name, session, "plans"),
        name, form.plan().path("version").asText(), form.plan().path("plan").path("description").asText(null),
        form.fields(), form.priority(), idempotencyKey, error));
  }
}
