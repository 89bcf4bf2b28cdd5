package io.groundcontrol.api;

import io.groundcontrol.apikey.Role;
import io.groundcontrol.client.ComponentOverview;
import io.groundcontrol.client.KafkaAccessErrors;
import io.groundcontrol.plan.ComponentFiles;
import io.groundcontrol.query.QueryUnavailableException;
import io.groundcontrol.schema.ComponentSettings;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.apache.kafka.common.errors.GroupAuthorizationException;

/**
 * Components: how each stands (cap, slots running, queued, age of the oldest queued, weights, live
 * workers: what {@code component list} prints) and applying settings, with the problems
 * {@code component validate} reports.
 */
final class ComponentRoutes {
  private static final Duration RETRY = Duration.ofSeconds(2);

  private final Supplier<Backend> backend;
  private final Clock clock;

  ComponentRoutes(Supplier<Backend> backend, Clock clock) {
    this.backend = backend;
    this.clock = clock;
  }

  List<ApiRoute> routes() {
    return List.of(
        ApiRoute.get("/api/v1/components", Role.VIEWER, this::list),
        ApiRoute.post("/api/v1/components", Role.ADMIN, this::apply));
  }

  private void list(Context ctx) {
    Backend b = backend.get();
    Map<String, ComponentSettings> settings = b.queries().componentSettings();
    LiveWorkerSnapshots.Snapshot live;
    try {
      live = b.components().workers().get();
    } catch (IllegalStateException e) {
      throw new QueryUnavailableException("Kafka did not tell the live workers: " + e.getMessage(), RETRY);
    } catch (GroupAuthorizationException e) {
      throw new ApiException(500, "Expected the live workers of every component, but "
          + KafkaAccessErrors.describe(e, b.kafka()).orElseThrow());
    }
    Instant now = clock.instant();
    List<Map<String, Object>> components = new ArrayList<>();
    for (ComponentOverview c : ComponentOverview.of(settings, b.components().statuses().all(), live.workers())) {
      Map<String, Object> item = new LinkedHashMap<>();
      item.put("component", c.component());
      item.put("maxRunning", c.maxRunning());
      item.put("running", c.running());
      item.put("queued", c.queued());
      item.put("oldestQueuedAt", c.oldestQueuedAt() == null ? null : c.oldestQueuedAt().toString());
      item.put("oldestQueuedAgeSeconds", c.oldestQueuedAge(now).map(Duration::toSeconds).orElse(null));
      item.put("weights", c.weights());
      item.put("liveWorkers", c.liveWorkers());
      item.put("statusAt", c.statusAt() == null ? null : c.statusAt().toString());
      components.add(item);
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("components", components);
    // The live workers come from a lookup shared by the requests of a second; the rest is as of now.
    body.put("liveWorkersAt", live.at().toString());
    Json.send(ctx, 200, body);
  }

  private void apply(Context ctx) {
    List<ComponentSettings> settings;
    try {
      settings = ComponentFiles.parse(ctx.body(), "request body");
    } catch (ComponentFiles.InvalidComponentsException e) {
      int count = e.problems().size();
      throw new ApiException(400, "Expected valid component settings, but found " + count + " problem"
          + (count == 1 ? "" : "s"), Map.of("problems", e.problems()));
    }
    backend.get().components().publisher().apply(settings);
    List<Map<String, Object>> applied = new ArrayList<>();
    for (ComponentSettings setting : settings) {
      Map<String, Object> item = new LinkedHashMap<>();
      item.put("component", setting.getComponent());
      item.put("maxRunning", setting.getMaxRunning());
      item.put("weights", new TreeMap<>(setting.getPlanWeights()));
      applied.add(item);
    }
    Json.send(ctx, 200, Map.of("applied", applied));
  }
}
