package io.groundcontrol.api;

import io.groundcontrol.apikey.Role;
import io.groundcontrol.query.MissionFilter;
import io.groundcontrol.query.SchedulePage;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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

  /** The body field of a 404 that names the mission, or schedule, this instance does not have. */
  static final String MISSION_FIELD = "missionId";
  static final String SCHEDULE_FIELD = "schedule";

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
        .orElseThrow(() -> absent("mission", MISSION_FIELD, id, partition));
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
        .orElseThrow(() -> absent("schedule", SCHEDULE_FIELD, name, partition));
    Json.send(ctx, 200, schedule);
  }

  /**
   * The 404 of a mission or schedule this instance does not have, naming it in a body field: what
   * tells it from a 404 of whatever else may answer at a peer's address.
   */
  private static ApiException absent(String what, String field, String name, int partition) {
    return new ApiException(404, "Expected " + what + " '" + name + "' in partition " + partition
        + " here, but there is none", Map.of(field, name, "partition", partition));
  }

  /** Whether {@code body} is the 404 of {@link #absent}, for the mission or schedule {@code name}. */
  static boolean saysAbsent(String body, String field, String name) {
    try {
      return name.equals(Json.MAPPER.readTree(body).path(field).asText(null));
    } catch (JsonProcessingException e) {
      return false;
    }
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
