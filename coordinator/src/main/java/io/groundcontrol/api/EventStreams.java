package io.groundcontrol.api;

import io.groundcontrol.apikey.Role;
import io.groundcontrol.audit.EventFields;
import io.groundcontrol.client.ApiKeyCache;
import io.groundcontrol.schema.MissionEvent;
import io.javalin.http.Context;
import io.javalin.http.sse.SseClient;
import java.util.function.Supplier;

/**
 * The live stream of one mission's events, as server-sent events (the client sends
 * {@code Accept: text/event-stream}, as browsers do): first a {@code mission} event
 * with the mission as it is, then an {@code event} for each new event (the fields of
 * {@code audit export}), with the event's sequence as the SSE id. The stream stays open until the
 * client goes; a client that reconnects gets the mission afresh and misses nothing it needs.
 */
final class EventStreams {
  static final String PATH = "/api/v1/missions/{id}/events/stream";

  private final Supplier<Backend> backend;
  private final Supplier<ApiKeyCache> keys;

  EventStreams(Supplier<Backend> backend, Supplier<ApiKeyCache> keys) {
    this.backend = backend;
    this.keys = keys;
  }

  /** Before the stream opens, while a status can still be answered: 401, 403, 404, 503. */
  void check(Context ctx) {
    Access.require(ctx, keys.get(), Role.VIEWER);
    String id = ctx.pathParam("id");
    if (backend.get().queries().mission(id, Access.credentials(ctx)).isEmpty()) {
      throw UnknownMission.notFound(id);
    }
  }

  void handle(SseClient client) {
    var ctx = client.ctx();
    Backend b = backend.get();
    String id = ctx.pathParam("id");
    // Subscribe before reading the mission, so no event falls between the two.
    AutoCloseable subscription = b.feed().subscribe(event -> send(client, id, event));
    client.onClose(() -> {
      try {
        subscription.close();
      } catch (Exception e) {
        // nothing held
      }
    });
    var mission = b.queries().mission(id, Access.credentials(ctx));
    synchronized (client) {
      client.sendEvent("mission", Json.write(mission.orElse(null)));
    }
    client.keepAlive();
  }

  private static void send(SseClient client, String missionId, MissionEvent event) {
    if (client.terminated() || !event.getMissionId().equals(missionId)) {
      return;
    }
    synchronized (client) {
      client.sendEvent("event", Json.write(EventFields.of(event)), Long.toString(event.getSequence()));
    }
  }
}
