package io.groundcontrol.api;

import io.groundcontrol.apikey.Role;
import io.groundcontrol.audit.EventFields;
import io.groundcontrol.client.ApiKeyCache;
import io.groundcontrol.query.MissionDocument;
import io.groundcontrol.query.QueryUnavailableException;
import io.javalin.http.Context;
import io.javalin.http.sse.SseClient;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The live stream of one mission's events, as server-sent events (the client sends
 * {@code Accept: text/event-stream}, as browsers do): first a {@code mission} event
 * with the mission as it is, then an {@code event} for each new event (the fields of
 * {@code audit export}), with the event's sequence as the SSE id. The stream stays open until the
 * client goes, or until its key is revoked or no longer allows reading (checked before each event
 * and every {@link #TICK}); a client that reconnects gets the mission afresh and misses nothing it needs.
 */
final class EventStreams implements AutoCloseable {
  static final String PATH = "/api/v1/missions/{id}/events/stream";
  /** How often an open stream's key is checked while no event comes. */
  static final Duration TICK = Duration.ofMillis(500);

  private final Supplier<Backend> backend;
  private final Supplier<ApiKeyCache> keys;
  private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(runnable -> {
    Thread thread = new Thread(runnable, "groundcontrol-event-streams");
    thread.setDaemon(true);
    return thread;
  });

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
    ApiKeyCache cache = keys.get();
    String credentials = Access.credentials(ctx);
    // First: a close from here on (a revoked key, on the feed's or the ticker's thread) ends the response.
    client.keepAlive();
    OpenStream stream = new OpenStream(sink(client), () -> Access.allows(cache, credentials, Role.VIEWER));
    // Subscribe before reading the mission, so no event falls between the two.
    AutoCloseable subscription = b.feed().subscribe(event -> {
      if (event.getMissionId().equals(id)) {
        stream.send("event", Json.write(EventFields.of(event)), Long.toString(event.getSequence()));
      }
    });
    ScheduledFuture<?> ticks = ticker.scheduleWithFixedDelay(stream::tick, TICK.toMillis(), TICK.toMillis(),
        TimeUnit.MILLISECONDS);
    Runnable release = () -> {
      ticks.cancel(false);
      try {
        subscription.close();
      } catch (Exception e) {
        // nothing held
      }
    };
    client.onClose(release);
    if (client.terminated()) {
      // Closed (its key revoked) before the callback was set: release here; twice is harmless.
      release.run();
      return;
    }
    Optional<MissionDocument> mission;
    try {
      mission = b.queries().mission(id, credentials);
    } catch (QueryUnavailableException e) {
      // Readable a moment ago in check(); a client that reconnects is answered 503 there.
      client.close();
      return;
    }
    stream.send("mission", Json.write(mission.orElse(null)), null);
  }

  private static OpenStream.Sink sink(SseClient client) {
    return new OpenStream.Sink() {
      @Override
      public void send(String name, String data, String id) {
        if (id == null) {
          client.sendEvent(name, data);
        } else {
          client.sendEvent(name, data, id);
        }
      }

      @Override
      public void close() {
        client.close();
      }

      @Override
      public boolean terminated() {
        return client.terminated();
      }
    };
  }

  @Override
  public void close() {
    ticker.shutdownNow();
  }
}
