package io.groundcontrol.api;

import io.groundcontrol.apikey.Role;
import io.groundcontrol.client.DeadLetterLog;
import io.groundcontrol.client.DeadLetterLog.DeadLetter;
import io.groundcontrol.coordinator.InputStall;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;

/** Health for probes (no key), metrics for Prometheus, the OpenAPI document, dead letters. */
final class OperationRoutes {
  /** The OpenAPI document on the class path; checked in at {@code src/main/resources}. */
  static final String OPENAPI_RESOURCE = "/io/groundcontrol/api/openapi.json";
  private static final int MAX_DEAD_LETTERS = 1000;

  private final Supplier<Backend> backend;
  private final Supplier<Boolean> attached;
  private final String openApi = load();

  OperationRoutes(Supplier<Backend> backend, Supplier<Boolean> attached) {
    this.backend = backend;
    this.attached = attached;
  }

  List<ApiRoute> routes() {
    return List.of(
        ApiRoute.get("/health/live", null, this::live),
        ApiRoute.get("/health/ready", null, this::ready),
        ApiRoute.get("/metrics", Role.VIEWER, this::metrics),
        ApiRoute.get("/api/v1/openapi.json", Role.VIEWER, ctx -> ctx.contentType("application/json").result(openApi)),
        ApiRoute.get("/api/v1/dead-letters", Role.VIEWER, this::deadLetters));
  }

  /**
   * Alive while the process can answer, unless its coordinator stopped by itself, its streams are
   * stuck rebalancing ({@code Coordinator#restartDue}), or an input it reads
   * has not moved for {@link InputStall#NOT_LIVE_AFTER}: then a restart is due.
   */
  private void live(Context ctx) {
    Backend b = attached.get() ? backend.get() : null;
    Health health = b == null
        ? liveness(Optional.empty(), Optional.empty())
        : liveness(b.restartDue().get(), b.stall().get());
    Json.send(ctx, health.status(), health.body());
  }

  /**
   * What {@code /health/live} answers: DOWN, with the reason, once a restart is due ({@code restartDue}:
   * the coordinator stopped by itself, or its streams are stuck rebalancing),
   * or its inputs' {@code stall} is long enough for a restart to be due.
   */
  static Health liveness(Optional<String> restartDue, Optional<InputStall> stall) {
    return restartDue.or(() -> stall.filter(InputStall::restartDue).map(InputStall::reason))
        .map(reason -> new Health(503, Map.<String, Object>of("status", "DOWN", "reason", reason)))
        .orElseGet(() -> new Health(200, Map.of("status", "UP")));
  }

  /** Ready when the coordinator runs (or rebalances, still answering) and the keys are read. */
  private void ready(Context ctx) {
    if (!attached.get()) {
      Json.send(ctx, 503, Map.of("status", "STARTING"));
      return;
    }
    Backend b = backend.get();
    Health readiness = readiness(b.keys().caughtUp(), b.streams().state(), b.stall().get(), b.hanging().get());
    Json.send(ctx, readiness.status(), readiness.body());
  }

  /** What {@code /health/ready} or {@code /health/live} answers: an HTTP status and a body. */
  record Health(int status, Map<String, Object> body) {}

  /**
   * The readiness of an attached instance: UP once the API keys that existed at its start are read
   * (before, it would refuse valid keys with 401) and its streams run or rebalance, unless inputs
   * with records waiting have not moved for {@link InputStall#NOT_READY_AFTER} ({@code stall}),
   * which a state of RUNNING does not show, or an open transaction holds up its tasks ({@code
   * hanging}), which a state of REBALANCING does not show; the reason is the transaction's, if any.
   */
  static Health readiness(boolean keysRead, KafkaStreams.State state, Optional<InputStall> stall,
      Optional<String> hanging) {
    Map<String, Object> body = new LinkedHashMap<>();
    boolean running = (state == KafkaStreams.State.RUNNING || state == KafkaStreams.State.REBALANCING)
        && stall.isEmpty() && hanging.isEmpty();
    body.put("status", !keysRead ? "STARTING" : running ? "UP" : "DOWN");
    body.put("streams", state.name());
    if (!keysRead) {
      body.put("keys", "not read yet");
    }
    // An open transaction explains a stall of the inputs it holds, which may be older than it.
    hanging.or(() -> stall.map(InputStall::reason)).ifPresent(reason -> body.put("reason", reason));
    return new Health(keysRead && running ? 200 : 503, body);
  }

  private void metrics(Context ctx) {
    ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(backend.get().metrics().scrape());
  }

  private void deadLetters(Context ctx) {
    int limit = MissionRoutes.intParam(ctx, "limit", 100);
    if (limit < 1 || limit > MAX_DEAD_LETTERS) {
      throw ApiException.badRequest("Expected a limit from 1 to " + MAX_DEAD_LETTERS + ", but got " + limit);
    }
    Backend b = backend.get();
    List<DeadLetter> all = DeadLetterLog.readAll(b.kafka(), b.topics());
    List<Map<String, Object>> newest = new ArrayList<>();
    for (int i = all.size() - 1; i >= 0 && newest.size() < limit; i--) {
      DeadLetter letter = all.get(i);
      Map<String, Object> item = new LinkedHashMap<>();
      item.put("at", letter.at().toString());
      item.put("sourceTopic", letter.sourceTopic());
      item.put("sourcePartition", letter.sourcePartition());
      item.put("sourceOffset", letter.sourceOffset());
      item.put("key", letter.key());
      item.put("missionId", letter.missionId().orElse(null));
      item.put("exception", letter.exception());
      item.put("reason", letter.reason());
      item.put("valueBytes", letter.valueBytes());
      newest.add(item);
    }
    Json.send(ctx, 200, Map.of("deadLetters", newest));
  }

  static String load() {
    try (InputStream in = OperationRoutes.class.getResourceAsStream(OPENAPI_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("The OpenAPI document " + OPENAPI_RESOURCE + " is missing from the class path");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
