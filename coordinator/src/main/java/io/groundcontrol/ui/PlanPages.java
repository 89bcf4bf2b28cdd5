package io.groundcontrol.ui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;

/** The plans: a list, and a plan's page with its DAG, params, stages and versions. */
final class PlanPages {
  /** The fields of a plan's stage that have columns of their own on its page. */
  private static final List<String> SHOWN_APART = List.of("name", "component", "upstream", "description", "params");
  private final ApiCalls api;
  private final Templates templates;

  PlanPages(ApiCalls api, Templates templates) {
    this.api = api;
    this.templates = templates;
  }

  void list(Context ctx, Session session) {
    List<Views.PlanRow> plans = new ArrayList<>();
    for (JsonNode plan : api.get(session.key(), "/plans").json().path("plans")) {
      plans.add(new Views.PlanRow(plan.path("name").asText(), plan.path("description").asText(null),
          plan.path("version").asText(), plan.path("stages").asInt(), plan.path("versions").asInt()));
    }
    plans.sort((a, b) -> a.name().compareTo(b.name()));
    templates.render(ctx, 200, "plans.jte", new Views.PlansPage(new Views.Chrome("Plans", session, "plans"), plans));
  }

  void show(Context ctx, Session session) {
    String name = ctx.pathParam("name");
    JsonNode latest = api.get(session.key(), "/plans/" + ApiCalls.segment(name)).json();
    String wanted = ctx.queryParam("version");
    JsonNode shown = wanted == null || wanted.equals(latest.path("version").asText()) ? latest
        : api.get(session.key(), "/plans/" + ApiCalls.segment(name) + "/versions/" + ApiCalls.segment(wanted)).json();
    JsonNode plan = shown.path("plan");
    List<Views.PlanVersion> versions = new ArrayList<>();
    latest.path("applied").forEach(v -> versions.add(
        new Views.PlanVersion(v.path("version").asText(), Times.shortTime(v.path("appliedAt").asText(null)))));
    List<Views.PlanStage> stages = new ArrayList<>();
    List<DagLayout.Stage> drawn = new ArrayList<>();
    for (JsonNode stage : plan.path("stages")) {
      List<String> upstream = new ArrayList<>();
      stage.path("upstream").forEach(u -> upstream.add(u.asText()));
      String stageName = stage.path("name").asText();
      String component = stage.path("component").asText();
      drawn.add(new DagLayout.Stage(stageName, upstream, "PLAN", component));
      stages.add(new Views.PlanStage(stageName, component, stage.path("description").asText(null), upstream,
          stage.has("params") ? stage.get("params").toString() : "{}", settings(stage)));
    }
    templates.render(ctx, 200, "plan.jte", new Views.PlanPage(new Views.Chrome("Plan " + name, session, "plans"),
        name, shown.path("version").asText(), latest.path("version").asText(), plan.path("description").asText(null),
        versions, DagLayout.layout(drawn), ParamForm.fields(plan), stages,
        plan.hasNonNull("defaults") ? plan.get("defaults").toString() : null, session.canOperate()));
  }

  /**
   * What a stage sets beyond its component, upstream, description and params, as the plan document
   * holds it ({@code foreach} and its chunks, retry, timeouts, reuse), or null if nothing.
   */
  static String settings(JsonNode stage) {
    if (!stage.isObject()) {
      return null;
    }
    ObjectNode rest = ((ObjectNode) stage).deepCopy();
    rest.remove(SHOWN_APART);
    return rest.isEmpty() ? null : rest.toString();
  }
}
