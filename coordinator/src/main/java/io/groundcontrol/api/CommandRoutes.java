package io.groundcontrol.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.groundcontrol.apikey.Role;
import io.groundcontrol.client.MissionCommands;
import io.groundcontrol.mission.MissionIds;
import io.groundcontrol.mission.StartChecks;
import io.groundcontrol.query.MissionDocument;
import io.groundcontrol.query.QueryUnavailableException;
import io.groundcontrol.schema.CancelMission;
import io.groundcontrol.schema.FailStage;
import io.groundcontrol.schema.InputRejected;
import io.groundcontrol.schema.MissionEvent;
import io.groundcontrol.schema.RetryStage;
import io.groundcontrol.schema.SkipStage;
import io.groundcontrol.schema.StartDeduplicated;
import io.groundcontrol.schema.StartMission;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;

/**
 * Commands: start a mission, cancel it, retry, skip or fail a stage. Each answer waits, bounded,
 * for the coordinator's decision: the mission as it is after the command, a rejection with its
 * reason and status (404, 409, 400), or 202 if no decision came in time (the command stays queued).
 * A client that sends {@code Prefer: respond-async} (RFC 7240) waits only for Kafka to take the
 * command, then gets the 202: a burst of starts is not paced by the decisions.
 */
final class CommandRoutes {
  /** Body of a start. Params are any JSON values; {@code idempotencyKey} may also come as a header. */
  record StartRequest(String plan, Map<String, JsonNode> params, List<String> exclude, List<String> startFrom,
      String missionId, String idempotencyKey, JsonNode priority) {}

  /** Body of cancel, skip and fail. */
  record ReasonRequest(String reason) {}

  /** Body of retry. */
  record RetryRequest(Boolean withDownstream) {}


  private static final String IDEMPOTENCY_KEY = "Idempotency-Key";
  private static final String RESPOND_ASYNC = "respond-async";

  private final Supplier<Backend> backend;

  CommandRoutes(Supplier<Backend> backend) {
    this.backend = backend;
  }

  List<ApiRoute> routes() {
    return List.of(
        ApiRoute.post("/api/v1/missions", Role.OPERATOR, this::start),
        ApiRoute.post("/api/v1/missions/{id}/cancel", Role.OPERATOR, this::cancel),
        ApiRoute.post("/api/v1/missions/{id}/stages/{stage}/retry", Role.OPERATOR, this::retry),
        ApiRoute.post("/api/v1/missions/{id}/stages/{stage}/skip", Role.OPERATOR, this::skip),
        ApiRoute.post("/api/v1/missions/{id}/stages/{stage}/fail", Role.OPERATOR, this::fail));
  }

  private void start(Context ctx) {
    StartRequest request = Json.body(ctx, StartRequest.class);
    if (request.plan() == null || request.plan().isBlank()) {
      throw ApiException.badRequest("Expected the plan to start in field 'plan', but it is missing");
    }
    String key = idempotencyKey(ctx.header(IDEMPOTENCY_KEY), request.idempotencyKey());
    if (key != null && request.missionId() != null) {
      throw ApiException.badRequest("Expected either a missionId or an idempotency key, but got both");
    }
    if (request.missionId() != null) {
      checkMissionId(request.missionId());
    }
    String id = key != null ? MissionIds.forKey(request.plan(), key)
        : request.missionId() != null ? request.missionId() : MissionCommands.newMissionId(Clock.systemUTC());
    Map<String, String> params = new LinkedHashMap<>();
    if (request.params() != null) {
      request.params().forEach((name, value) -> params.put(name, Json.text(value)));
    }
    StartMission command = StartMission.newBuilder().setPlanName(request.plan()).setParams(params)
        .setExcludedStages(stageNames("exclude", request.exclude()))
        .setStartFrom(stageNames("startFrom", request.startFrom()))
        .setPriority(priority(request.priority()).orElse(0))
        .build();
    boolean async = prefersAsync(ctx) && !refusedHere(id, command);
    Optional<MissionEvent> answer = send(ctx, id, command, async);
    if (answer.isPresent() && answer.get().getEvent() instanceof StartDeduplicated) {
      // The same id (or key) again: starts are idempotent, the mission it started is the answer.
      show(ctx, id, 200, answer.get().getSequence());
      return;
    }
    respond(ctx, id, answer, 201, RejectionStatus::ofStart, async);
  }

  /**
   * Whether this instance's copy of the plans says the coordinator will refuse the start (its plan
   * unknown, params it does not take, stages it does not have). Such a start is not answered before
   * its decision, even if asked to: the client gets its 404 or 400 rather than a 202 for a mission
   * that never starts. A copy not readable now (a rebalance) says nothing; the coordinator decides.
   */
  private boolean refusedHere(String missionId, StartMission command) {
    try {
      return backend.get().queries().latestPlan(command.getPlanName())
          .map(plan -> StartChecks.refusal(missionId, command, plan).isPresent())
          .orElse(true);
    } catch (QueryUnavailableException e) {
      return false;
    }
  }

  /**
   * The start's idempotency key, from the header or the body, or null if neither gives one. A blank
   * key (an unset variable) would make every such start of the plan the first one, so it is refused;
   * so are two keys that differ.
   */
  private static String idempotencyKey(String header, String field) {
    if (header != null && header.isBlank()) {
      throw ApiException.badRequest("Expected a non-blank idempotency key in header " + IDEMPOTENCY_KEY
          + ", but it is blank");
    }
    if (field != null && field.isBlank()) {
      throw ApiException.badRequest("Expected a non-blank idempotency key in field 'idempotencyKey', but it is blank");
    }
    if (header != null && field != null && !header.equals(field)) {
      throw ApiException.badRequest("Expected one idempotency key, but header " + IDEMPOTENCY_KEY
          + " and field 'idempotencyKey' give two different ones");
    }
    return header != null ? header : field;
  }

  /**
   * A body's priority (a start's, a fire-now's): empty if absent, else a whole number {@code mission
   * start --priority} takes (a Java int).
   */
  static Optional<Integer> priority(JsonNode priority) {
    if (priority == null || priority.isNull()) {
      return Optional.empty();
    }
    if (!priority.isIntegralNumber() || !priority.canConvertToInt()) {
      throw ApiException.badRequest("Expected field 'priority' to be a whole number from " + Integer.MIN_VALUE + " to "
          + Integer.MAX_VALUE + ", as mission start --priority takes, but got " + Json.text(priority));
    }
    return Optional.of(priority.intValue());
  }

  /** Refuses an id the API could not serve back, as the coordinator would ({@link MissionIds#problem}). */
  private static void checkMissionId(String id) {
    MissionIds.problem(id).ifPresent(problem -> {
      throw ApiException.badRequest(problem);
    });
  }

  private static List<String> stageNames(String field, List<String> names) {
    if (names == null) {
      return List.of();
    }
    if (names.contains(null)) {
      throw ApiException.badRequest("Expected stage names in field '" + field + "', but it holds null");
    }
    return names;
  }

  private void cancel(Context ctx) {
    String id = ctx.pathParam("id");
    command(ctx, id, new CancelMission(Json.body(ctx, ReasonRequest.class).reason()));
  }

  private void retry(Context ctx) {
    String id = ctx.pathParam("id");
    RetryRequest request = Json.body(ctx, RetryRequest.class);
    boolean withDownstream = request.withDownstream() != null && request.withDownstream();
    command(ctx, id, new RetryStage(ctx.pathParam("stage"), withDownstream));
  }

  private void skip(Context ctx) {
    String id = ctx.pathParam("id");
    command(ctx, id, new SkipStage(ctx.pathParam("stage"), Json.body(ctx, ReasonRequest.class).reason()));
  }

  private void fail(Context ctx) {
    String id = ctx.pathParam("id");
    command(ctx, id, new FailStage(ctx.pathParam("stage"), Json.body(ctx, ReasonRequest.class).reason()));
  }

  /** Sends a command on an existing mission and answers it: 200 with the mission after it, or as {@link #respond}. */
  private void command(Context ctx, String missionId, Object command) {
    boolean async = prefersAsync(ctx);
    respond(ctx, missionId, send(ctx, missionId, command, async), 200, RejectionStatus::of, async);
  }

  /** @param async answer once Kafka took it, without waiting for the decision */
  private Optional<MissionEvent> send(Context ctx, String missionId, Object command, boolean async) {
    Backend b = backend.get();
    Duration wait = async ? Duration.ZERO : b.commandWait();
    return b.commands().send(b.actor(Access.principal(ctx).name()), missionId, command, wait);
  }

  /**
   * Whether the request has {@code Prefer: respond-async} among its preferences (RFC 7240: a
   * comma-separated list, tokens case-insensitive, each with optional {@code =value} and {@code
   * ;parameters}), on any of its {@code Prefer} header lines (a client may send several).
   */
  private static boolean prefersAsync(Context ctx) {
    for (String prefer : Collections.list(ctx.req().getHeaders("Prefer"))) {
      for (String preference : prefer.split(",")) {
        String token = preference.split("[;=]", 2)[0].trim();
        if (token.equalsIgnoreCase(RESPOND_ASYNC)) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * The answer to a command: the rejection, or the mission after it, or 202 if undecided.
   *
   * @param async whether it was sent without waiting for the decision ({@code Prefer: respond-async} applied)
   */
  private void respond(Context ctx, String missionId, Optional<MissionEvent> answer, int accepted,
      ToIntFunction<InputRejected> status, boolean async) {
    Backend b = backend.get();
    if (answer.isPresent() && answer.get().getEvent() instanceof InputRejected rejected) {
      throw new ApiException(status.applyAsInt(rejected), rejected.getReason(),
          Map.of("missionId", missionId, "input", rejected.getInput(), "reasonCode", rejected.getReasonCode().name()));
    }
    if (answer.isEmpty()) {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("missionId", missionId);
      if (async) {
        ctx.header("Preference-Applied", RESPOND_ASYNC);
        body.put("message", "The command is queued (Kafka took it); as asked (Prefer: respond-async), the answer "
            + "does not wait for the coordinator's decision: follow the mission to see what it decides");
      } else {
        body.put("message", "The command is queued, but the coordinator did not decide on it within "
            + b.commandWait().toSeconds() + " s; follow the mission to see what it decides");
      }
      Json.send(ctx, 202, body);
      return;
    }
    show(ctx, missionId, accepted, answer.get().getSequence());
  }

  /**
   * The mission after a command decided by event {@code decided}, or where to read it if it cannot
   * be read now ({@link AfterDecision}): also when the copy that answered does not hold the decision
   * yet (a standby's, after the owner died right after deciding), whose state would be from before it.
   */
  private void show(Context ctx, String missionId, int status, long decided) {
    Optional<MissionDocument> mission;
    try {
      mission = backend.get().queries().mission(missionId, Access.credentials(ctx));
    } catch (QueryUnavailableException e) {
      Json.send(ctx, status,
          AfterDecision.unreadable("missionId", missionId, "mission", "/api/v1/missions/" + missionId, e));
      return;
    }
    if (mission.isPresent() && mission.get().sequence() < decided) {
      Json.send(ctx, status, AfterDecision.behind(mission.get(), decided));
      return;
    }
    Json.send(ctx, status, mission.isPresent() ? mission.get() : Map.of("missionId", missionId));
  }
}
