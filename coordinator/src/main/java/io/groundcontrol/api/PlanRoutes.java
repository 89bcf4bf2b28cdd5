package io.groundcontrol.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.groundcontrol.apikey.Role;
import io.groundcontrol.plan.InvalidPlanException;
import io.groundcontrol.plan.PlanFiles;
import io.groundcontrol.plan.PlanProblem;
import io.groundcontrol.schema.Plan;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** Plans: list, show with versions, apply (with the CLI's validation problems). */
final class PlanRoutes {
  private final Supplier<Backend> backend;

  PlanRoutes(Supplier<Backend> backend) {
    this.backend = backend;
  }

  List<ApiRoute> routes() {
    return List.of(
        ApiRoute.get("/api/v1/plans", Role.VIEWER, this::list),
        ApiRoute.post("/api/v1/plans", Role.ADMIN, this::apply),
        ApiRoute.get("/api/v1/plans/{name}", Role.VIEWER, this::show),
        ApiRoute.get("/api/v1/plans/{name}/versions/{version}", Role.VIEWER, this::version));
  }

  private void list(Context ctx) {
    List<Map<String, Object>> plans = new ArrayList<>();
    Map<String, Plan> all = backend.get().queries().plans();
    all.forEach((key, plan) -> {
      if (key.indexOf('@') < 0) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("name", plan.getName());
        item.put("version", plan.getVersion());
        item.put("description", plan.getDescription());
        item.put("stages", plan.getStages().size());
        item.put("versions", versionCount(all, plan.getName()));
        plans.add(item);
      }
    });
    Json.send(ctx, 200, Map.of("plans", plans));
  }

  private void show(Context ctx) {
    String name = ctx.pathParam("name");
    Map<String, Plan> all = backend.get().queries().plans();
    Plan latest = all.get(name);
    if (latest == null) {
      throw ApiException.notFound("Expected plan '" + name + "' to be applied, but it is unknown");
    }
    Map<String, Object> body = document(latest);
    List<PlanApply.Version> versions = PlanApply.newestFirst(name, all.keySet(), backend.get().planApplies().all());
    body.put("versions", versions.stream().map(PlanApply.Version::version).toList());
    List<Map<String, Object>> applied = new ArrayList<>();
    for (PlanApply.Version v : versions) {
      Map<String, Object> item = new LinkedHashMap<>();
      item.put("version", v.version());
      item.put("appliedAt", v.applied() == null ? null : v.applied().at().toString());
      applied.add(item);
    }
    body.put("applied", applied);
    Json.send(ctx, 200, body);
  }

  private void version(Context ctx) {
    String name = ctx.pathParam("name");
    String version = ctx.pathParam("version");
    Plan plan = backend.get().queries().plans().get(name + "@" + version);
    if (plan == null) {
      throw ApiException.notFound("Expected version '" + version + "' of plan '" + name + "', but there is none");
    }
    Json.send(ctx, 200, document(plan));
  }

  private void apply(Context ctx) {
    String contentType = ctx.contentType() == null ? "" : ctx.contentType().toLowerCase();
    PlanFiles.Format format = contentType.contains("yaml") ? PlanFiles.Format.YAML : PlanFiles.Format.JSON;
    Plan plan;
    try {
      plan = PlanFiles.parse(ctx.body(), "request body", format);
      backend.get().plans().apply(plan, "request body");
    } catch (InvalidPlanException e) {
      List<Map<String, Object>> problems = new ArrayList<>();
      for (PlanProblem problem : e.problems()) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("stage", problem.stage());
        item.put("field", problem.field());
        item.put("reason", problem.reason().name());
        item.put("message", problem.message());
        item.put("description", problem.describe());
        problems.add(item);
      }
      throw new ApiException(400, "Expected a valid plan, but it has " + problems.size() + " problem"
          + (problems.size() == 1 ? "" : "s"), Map.of("problems", problems));
    }
    Json.send(ctx, 201, Map.of("name", plan.getName(), "version", plan.getVersion()));
  }

  private static Map<String, Object> document(Plan plan) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", plan.getName());
    body.put("version", plan.getVersion());
    try {
      body.put("plan", Json.MAPPER.readValue(PlanFiles.toJson(plan), JsonNode.class));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    return body;
  }

  private static long versionCount(Map<String, Plan> all, String name) {
    return all.keySet().stream().filter(key -> key.startsWith(name + "@")).count();
  }
}
