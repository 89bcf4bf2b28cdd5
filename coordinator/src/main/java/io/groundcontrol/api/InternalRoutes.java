package io.groundcontrol.api;

import io.groundcontrol.apikey.Role;
import io.groundcontrol.query.MissionFilter;
import io.groundcontrol.query.SchedulePage;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * What instances ask each other ({@link HttpPeers}): answers from this instance's own stores
 * only, never forwarded again. Not part of the public API or its document; they need a key like
 * any other route (the caller's, passed on).
 */
final class InternalRoutes {
  static final String MISSION = "/internal/v1/missions/{id}";
  static final String PAGE = "/internal/v1/missions";
  static final String SCHEDULES = "/internal/v1/schedules";
  static final String SCHEDULE = "/internal/v1/schedules/{name}";

  private final Supplier<Backend> backend;

  InternalRoutes(Supplier<Backend> backend) {
    this.backend = backend;
  }

  List<ApiRoute> routes() {
    return List.of(ApiRoute.get(MISSION, Role.VIEWER, this::mission), ApiRoute.get(PAGE, Role.VIEWER, this::page),
        ApiRoute.get(SCHEDULES, Role.VIEWER, this::schedules), ApiRoute.get(SCHEDULE, Role.VIEWER, this::schedule));
  }

  private void mission(Context ctx) {
    String id = ctx.pathParam("id");
    int partition = MissionRoutes.intParam(ctx, "partition", -1);
    var mission = backend.get().queries().localMission(id, partition, false)
        .orElseThrow(() -> ApiException.notFound("Expected mission '" + id + "' in partition " + partition
            + " here, but there is none"));
    Json.send(ctx, 200, mission);
  }

  private void page(Context ctx) {
    MissionFilter filter = new MissionFilter(MissionRoutes.enumParam(ctx, "status"), ctx.queryParam("plan"),
        MissionRoutes.instantParam(ctx, "startedAfter"), MissionRoutes.instantParam(ctx, "startedBefore"));
    List<Integer> partitions = partitions(ctx);
    int limit = MissionRoutes.intParam(ctx, "limit", MissionRoutes.DEFAULT_PAGE);
    try {
      Json.send(ctx, 200, backend.get().queries().localPage(filter, ctx.queryParam("cursor"), limit, partitions));
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(e.getMessage());
    }
  }

  private void schedules(Context ctx) {
    Json.send(ctx, 200, new SchedulePage(backend.get().schedules().localList(partitions(ctx))));
  }

  private void schedule(Context ctx) {
    String name = ctx.pathParam("name");
    int partition = MissionRoutes.intParam(ctx, "partition", -1);
    var schedule = backend.get().schedules().localSchedule(name, partition)
        .orElseThrow(() -> ApiException.notFound("Expected schedule '" + name + "' in partition " + partition
            + " here, but there is none"));
    Json.send(ctx, 200, schedule);
  }

  private static List<Integer> partitions(Context ctx) {
    List<Integer> partitions = new ArrayList<>();
    for (String part : String.valueOf(ctx.queryParam("partitions")).split(",")) {
      try {
        partitions.add(Integer.parseInt(part.trim()));
      } catch (NumberFormatException e) {
        throw ApiException.badRequest("Expected partitions as numbers separated by commas, but got '"
            + ctx.queryParam("partitions") + "'");
      }
    }
    return partitions;
  }
}
