package io.groundcontrol.ui;

import com.fasterxml.jackson.databind.JsonNode;
import io.groundcontrol.client.ComponentOverview;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The components: caps, slots running, queued attempts and their oldest's age, weights, live workers. */
final class ComponentPages {
  private final ApiCalls api;
  private final Templates templates;

  ComponentPages(ApiCalls api, Templates templates) {
    this.api = api;
    this.templates = templates;
  }

  void list(Context ctx, Session session) {
    templates.render(ctx, 200, "components.jte",
        new Views.ComponentsPage(new Views.Chrome("Components", session, "components"), rows(session)));
  }

  /** The rows alone, polled by the page. */
  void rows(Context ctx, Session session) {
    templates.render(ctx, 200, "componentrows.jte", rows(session));
  }

  private Views.ComponentRows rows(Session session) {
    List<Views.ComponentRow> rows = new ArrayList<>();
    for (JsonNode c : api.get(session.key(), "/components").json().path("components")) {
      List<String> weights = new ArrayList<>();
      c.path("weights").fields().forEachRemaining(w -> weights.add(w.getKey() + "=" + w.getValue().asInt()));
      List<String> workers = new ArrayList<>();
      c.path("liveWorkers").forEach(w -> workers.add(w.asText()));
      rows.add(new Views.ComponentRow(c.path("component").asText(),
          c.path("maxRunning").isNull() ? "-" : c.path("maxRunning").asText(),
          c.path("running").asInt(), c.path("queued").asInt(),
          c.path("oldestQueuedAgeSeconds").isNull() ? "-" : ComponentOverview.age(Duration.ofSeconds(c.path("oldestQueuedAgeSeconds").asLong())),
          weights.isEmpty() ? "-" : String.join(", ", weights), workers));
    }
    return new Views.ComponentRows(rows);
  }
}
