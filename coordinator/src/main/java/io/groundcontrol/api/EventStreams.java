package io.groundcontrol.api;

import io.groundcontrol.apikey.Role;
import io.groundcontrol.audit.EventFields;
import io.groundcontrol.client.ApiKeyCache;
import io.groundcontrol.query.MissionDocument;
import io.groundcontrol.query.QueryUnavailableException;
import io.groundcontrol.schema.MissionEvent;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.sse.SseClient;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The live stream of one mission's events, as server-sent events (the client sends
 * {@code Accept: text/event-stream}, as browsers do): first a {@code mission} event
 * with the mission as it is, then an {@code event} for each new event (the fields of
 * {@code audit export}), with the event's sequence as the SSE id. The stream stays open until the
 * client goes, until its key is revoked or no longer allows reading (checked before each event
 * and every {@link #TICK}), or until the client falls {@link StreamSender#MAX_QUEUED_CHARS} behind;
 * a client that reconnects gets the mission afresh and misses nothing it needs. A quiet stream gets
 * a comment every {@link #KEEP_ALIVE}, which clients ignore.
 *
 * <p>The stream does not end with the mission: a failed mission can be retried, and an ended one
 * still has events to come (its {@code MissionForgotten}, rejections of commands sent to it); a
 * browser's {@code EventSource} would also reconnect at once to a stream that ended.
 */
final class EventStreams implements AutoCloseable {
  static final String PATH = "/api/v1/missions/{id}/events/stream";
  /** How often an open stream's key is checked while no event comes. */
  static final Duration TICK = Duration.ofMillis(500);
  /**
   * How often a stream with nothing to write gets a comment. A client that went away is noticed
   * only when a write to it fails, so without this its stream (a feed listener and a ticker task)
   * would be held until the mission's next event, days away or never for an ended mission. 15 s, as
   * the HTML standard suggests for EventSource, is half the shortest idle timeout proxies and load
   * balancers commonly use (30 to 60 s), so it also keeps live streams open through them, at 3 bytes
   * a stream every 15 s.
   */
  static final Duration KEEP_ALIVE = Duration.ofSeconds(15);

  private final Supplier<Backend> backend;
  private final Supplier<ApiKeyCache> keys;
  private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(runnable -> {
    Thread thread = new Thread(runnable, "groundcontrol-event-streams");
    thread.setDaemon(true);
    return thread;
  });
  // A thread per stream that is writing, none for an idle one: a client that stops reading holds
  // its own sender until its write fails (Jetty's idle timeout), no one else's.
  private final ExecutorService senders = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS,
      new SynchronousQueue<>(), runnable -> {
        Thread thread = new Thread(runnable, "groundcontrol-event-stream-sender");
        thread.setDaemon(true);
        return thread;
      });

  private final Duration keepAlive;
  // Ended by close() while the server still runs: a stream must end before Jetty recycles its
  // response (see SseSink).
  private final Set<SseSink> open = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  EventStreams(Supplier<Backend> backend, Supplier<ApiKeyCache> keys) {
    this(backend, keys, KEEP_ALIVE);
  }

  /** @param keepAlive how often a stream with nothing to write gets a comment */
  EventStreams(Supplier<Backend> backend, Supplier<ApiKeyCache> keys, Duration keepAlive) {
    this.backend = backend;
    this.keys = keys;
    this.keepAlive = keepAlive;
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
    Backend b = backend.get();
    String id = client.ctx().pathParam("id");
    ApiKeyCache cache = keys.get();
    String credentials = Access.credentials(client.ctx());
    open(client, id, b.feed()::subscribe, () -> b.queries().mission(id, credentials),
        () -> Access.allows(cache, credentials, Role.VIEWER));
  }

  /**
   * Streams mission {@code id} to {@code client}: its events from {@code feed}, after the snapshot
   * that {@code mission} reads, while {@code allowed} says the key still allows it.
   */
  void open(SseClient client, String id, Function<Consumer<MissionEvent>, AutoCloseable> feed,
      Supplier<Optional<MissionDocument>> mission, BooleanSupplier allowed) {
    // First: a close from here on (a revoked key, an overflow, on any thread) ends the response.
    client.keepAlive();
    SseSink sink = new SseSink(client);
    if (!track(sink)) {
      return;
    }
    OpenStream stream = new OpenStream(sink, allowed);
    StreamSender sender = new StreamSender(stream, senders);
    // Subscribe before reading the mission, so no event falls between the two; the sender holds
    // those that come before the mission is sent. The feed's thread only queues: it must not block.
    AutoCloseable subscription = feed.apply(event -> {
      if (event.getMissionId().equals(id)) {
        sender.event(event.getSequence(), event.getTimestamp().toEpochMilli(), Json.write(EventFields.of(event)));
      }
    });
    ScheduledFuture<?> ticks;
    ScheduledFuture<?> keepAlives;
    try {
      ticks = ticker.scheduleWithFixedDelay(stream::tick, TICK.toMillis(), TICK.toMillis(), TimeUnit.MILLISECONDS);
      // Through the sender, as events: the write may block, the ticker must not.
      keepAlives = ticker.scheduleWithFixedDelay(sender::keepAlive, keepAlive.toMillis(), keepAlive.toMillis(),
          TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      // Closing: the server is stopping.
      closeQuietly(subscription);
      open.remove(sink);
      sink.close();
      return;
    }
    Runnable release = () -> {
      ticks.cancel(false);
      keepAlives.cancel(false);
      sender.close();
      open.remove(sink);
      closeQuietly(subscription);
    };
    sink.onEnd(release);
    if (sink.terminated()) {
      // Closed (its key revoked) before the callback was set: release here; twice is harmless.
      release.run();
      return;
    }
    Optional<MissionDocument> read;
    try {
      read = mission.get();
    } catch (QueryUnavailableException e) {
      // Readable a moment ago in check(); a client that reconnects is answered 503 there.
      sink.close();
      return;
    }
    sender.snapshot(read.map(document -> new StreamSender.Snapshot(document.sequence(),
        Instant.parse(document.startedAt()).toEpochMilli(), Instant.parse(document.updatedAt()).toEpochMilli(),
        document.stale())).orElse(StreamSender.Snapshot.NONE), Json.write(read.orElse(null)));
  }

  /** Holds {@code sink}'s stream to be ended by {@link #close}; false, and the stream ended, if closed already. */
  private boolean track(SseSink sink) {
    open.add(sink);
    if (closed) {
      open.remove(sink);
      sink.close();
      return false;
    }
    return true;
  }

  private static void closeQuietly(AutoCloseable subscription) {
    try {
      subscription.close();
    } catch (Exception e) {
      // nothing held
    }
  }

  /** Ends every open stream as the server being configured starts stopping: see {@link #close}. */
  void endOnStop(JavalinConfig config) {
    config.events.serverStopping(this::close);
  }

  /** How many streams are open. */
  int openStreams() {
    return open.size();
  }

  /**
   * Ends every open stream and sends nothing more. Called as the server starts stopping
   * ({@link #endOnStop}), while the streams' responses can still be ended.
   */
  @Override
  public void close() {
    closed = true;
    ticker.shutdownNow();
    for (SseSink sink : open) {
      sink.close();
    }
    senders.shutdownNow();
  }
}
