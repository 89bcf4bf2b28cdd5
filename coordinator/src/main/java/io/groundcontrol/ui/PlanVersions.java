package io.groundcontrol.ui;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Plan versions for drawing missions, kept once read: a version is the hash of the plan's
 * content, so it never changes, and a mission's page polled every second reads its plan once.
 */
final class PlanVersions {
  private static final int MAX_KEPT = 256;

  private final ApiCalls api;
  private final Map<String, JsonNode> kept = new ConcurrentHashMap<>();

  PlanVersions(ApiCalls api) {
    this.api = api;
  }

  /** The plan (file format) of {@code name} at {@code version}, read with {@code key}. */
  JsonNode plan(String key, String name, String version) {
    String id = name + "@" + version;
    JsonNode known = kept.get(id);
    if (known != null) {
      return known;
    }
    JsonNode plan = api.get(key, "/plans/" + ApiCalls.segment(name) + "/versions/" + ApiCalls.segment(version))
        .json().path("plan");
    if (kept.size() >= MAX_KEPT) {
      kept.clear();
    }
    kept.put(id, plan);
    return plan;
  }
}
