package io.groundcontrol.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.query.MissionDocument;
import io.groundcontrol.schema.Actor;
import io.groundcontrol.schema.ActorKind;
import io.groundcontrol.schema.Cause;
import io.groundcontrol.schema.CauseKind;
import io.groundcontrol.schema.InputRejected;
import io.groundcontrol.schema.MissionEvent;
import io.groundcontrol.schema.RejectionReason;
import io.javalin.Javalin;
import io.javalin.http.sse.SseClient;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The event stream of one mission over a real server, its events from a feed that calls its
 * listeners in turn on one thread, as the instance's EventFeed does; no broker.
 */
class EventStreamsTest {
  private static final Cause COMMAND = new Cause(CauseKind.COMMAND, new Actor(ActorKind.USER, "ops", "cli"), null);

  private static final Duration KEEP_ALIVE = Duration.ofMillis(100);

  private final Feed feed = new Feed();
  private final EventStreams streams = new EventStreams(() -> null, () -> null, KEEP_ALIVE);
  private volatile Supplier<Optional<MissionDocument>> mission = () -> Optional.of(mission(0));
  private final List<SseClient> clients = new CopyOnWriteArrayList<>();
  private final Javalin app = Javalin.create(config -> {
    config.routes.sse("/stream", client -> {
      clients.add(client);
      streams.open(client, "m-1", feed::subscribe, () -> mission.get(), () -> true);
    });
    streams.endOnStop(config);
  }).start("127.0.0.1", 0);

  @AfterEach
  void stop() {
    app.stop();
    streams.close();
  }

  /**
   * A client that stops reading must not hold up the feed's thread, which also answers commands
   * (CommandGateway), feeds the other streams and the metrics; its stream is closed instead.
   */
  @Test
  void aClientThatStopsReadingHoldsUpNoOtherListenerOfTheFeedAndItsStreamIsClosed() throws Exception {
    try (Socket reader = new Socket("127.0.0.1", app.port())) {
      reader.setReceiveBufferSize(4096);
      OutputStream out = reader.getOutputStream();
      out.write("GET /stream HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n"
          .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      assertThat(feed.subscribed.await(10, TimeUnit.SECONDS)).isTrue();
      // Told of each event after the stream, as CommandGateway::onEvent may be.
      CountDownLatch answered = new CountDownLatch(2000);
      feed.subscribe(event -> answered.countDown());
      // 2000 events of 16 KB (a large error text): 32 MB, far more than the socket buffers hold.
      String text = "x".repeat(16 * 1024);
      Thread feeding = new Thread(() -> {
        for (int sequence = 1; sequence <= 2000; sequence++) {
          feed.deliver(rejection(sequence, text));
        }
      }, "feed");
      feeding.setDaemon(true);
      feeding.start();

      assertThat(answered.await(10, TimeUnit.SECONDS)).as("the other listener got every event within 10 s").isTrue();
      // The stream overflowed on the feed's thread, before the other listener got that event.
      assertThat(feed.listeners).as("the closed stream's subscription is released").hasSize(1);
    }
  }

  /**
   * A client is noticed gone only when a write to it fails: without a write, a quiet stream (an
   * ended mission's) would hold its subscription and ticker task until the mission's next event.
   * The failed write releases the stream but leaves the response to Jetty, which aborts it: ended
   * here too, after Jetty recycled it, Javalin 7.2 spins the sending thread for ever, logging (one
   * run in about a hundred, before).
   */
  @Test
  void aClientThatGoesAwayIsReleasedAtTheNextKeepAliveThoughNoEventComes() throws Exception {
    try (Socket client = new Socket("127.0.0.1", app.port())) {
      OutputStream out = client.getOutputStream();
      out.write("GET /stream HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n"
          .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = client.getInputStream();
      StringBuilder read = new StringBuilder();
      byte[] buffer = new byte[4096];
      while (!read.toString().contains("event: mission")) {
        int n = in.read(buffer);
        assertThat(n).as("the stream sends the mission").isPositive();
        read.append(new String(buffer, 0, n, StandardCharsets.US_ASCII));
      }
    }

    assertThat(feed.released.await(10, TimeUnit.SECONDS)).as("the subscription is released").isTrue();
    assertThat(feed.listeners).isEmpty();
    assertThat(streams.openStreams()).isZero();
    assertThat(clients).singleElement().as("the response, left to Jetty to end")
        .satisfies(client -> assertThat(client.terminated()).isFalse());
  }

  /**
   * A server stopping with a stream open ends the stream first, while its response exists. Ended
   * after Jetty recycled the response (a keep-alive after the stop), Javalin 7.2 spins the sending
   * thread for ever, logging, which flooded every later test's captured standard error.
   */
  @Test
  @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void aServerThatStopsEndsItsOpenStreamsFirst() throws Exception {
    try (BufferedReader lines = openStream()) {
      assertThat(next(lines)).isEqualTo("mission: sequence 0");
      assertThat(streams.openStreams()).isEqualTo(1);

      app.stop();

      assertThat(streams.openStreams()).as("streams open after the stop").isZero();
      String line;
      do {
        line = lines.readLine();
      } while (line != null && (line.isEmpty() || line.startsWith(":")));
      assertThat(line).as("the stream ends cleanly, with nothing after the mission but keep-alives").isNull();
    }
  }

  /** Proxies drop connections idle for 30 to 60 s: a quiet stream gets comments, which clients ignore. */
  @Test
  @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void aQuietStreamGetsKeepAliveComments() throws Exception {
    try (BufferedReader lines = openStream()) {
      assertThat(next(lines)).isEqualTo("mission: sequence 0");

      assertThat(lines.readLine()).isEqualTo(": ");
      assertThat(lines.readLine()).isEqualTo(": ");
    }
  }

  /** Events that come while the mission is read are held; the mission goes first, without repeats. */
  @Test
  void theMissionComesFirstThenOnlyTheEventsItDoesNotHold() throws Exception {
    mission = () -> {
      // Events 1 and 2 come after the stream subscribed, before the read; the read side already
      // applied event 3, which the feed has yet to deliver.
      feed.deliver(rejection(1, "one"));
      feed.deliver(rejection(2, "two"));
      return Optional.of(mission(3));
    };
    try (BufferedReader lines = openStream()) {
      String first = next(lines);
      feed.deliver(rejection(3, "three"));
      feed.deliver(rejection(4, "four"));
      String second = next(lines);

      assertThat(first).isEqualTo("mission: sequence 3");
      assertThat(second).isEqualTo("event 4: four");
    }
  }

  /**
   * The owner answered with event 3 applied but not committed, then died: the event 3 its successor
   * decided and committed is another, at another time than the mission's {@code updatedAt}.
   */
  @Test
  @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void aLastEventAsCommittedThatIsNotTheOneTheMissionShowsEndsTheStreamAfterIt() throws Exception {
    mission = () -> Optional.of(new MissionDocument("m-1", "p", "1", "RUNNING", null, Map.of(), 3,
        "2026-01-01T00:00:00Z", "2026-01-01T00:00:05Z", List.of(), false));
    try (BufferedReader lines = openStream()) {
      assertThat(next(lines)).isEqualTo("mission: sequence 3");
      feed.deliver(rejection(3, "three"));
      feed.deliver(rejection(4, "four"));

      String line = lines.readLine();
      while (line != null && (line.startsWith(":") || line.isEmpty())) {
        line = lines.readLine();
      }
      assertThat(line).as("the stream ended: keep-alives, nothing else").isNull();
    }
  }

  /** Written as UTF-8, which the event stream format requires, whatever the text holds. */
  @Test
  @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void eventsAreUtf8() throws Exception {
    try (BufferedReader lines = openStream()) {
      assertThat(next(lines)).isEqualTo("mission: sequence 0");
      feed.deliver(rejection(1, "café ✓ 日本 \uD83D\uDE80"));

      assertThat(next(lines)).isEqualTo("event 1: café ✓ 日本 \uD83D\uDE80");
    }
  }

  /** Opens the stream as a browser does; its lines as they come. */
  private BufferedReader openStream() throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + "/stream"))
        .header("Accept", "text/event-stream").GET().build();
    HttpResponse<InputStream> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofInputStream());
    return new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8));
  }

  /** The next event: its name, its id if any, and the mission's sequence or the rejection's reason. */
  private static String next(BufferedReader lines) throws Exception {
    List<String> fields = new ArrayList<>();
    for (String line = lines.readLine(); line != null && !line.isEmpty(); line = lines.readLine()) {
      fields.add(line);
    }
    String name = fields.stream().filter(f -> f.startsWith("event: ")).findFirst().orElseThrow().substring(7);
    Optional<String> id = fields.stream().filter(f -> f.startsWith("id: ")).findFirst().map(f -> f.substring(4));
    var data = Json.parse(fields.stream().filter(f -> f.startsWith("data: ")).findFirst().orElseThrow().substring(6));
    return id.map(i -> name + " " + i + ": " + data.get("reason").asText())
        .orElseGet(() -> name + ": sequence " + data.get("sequence").asLong());
  }

  private static MissionDocument mission(long sequence) {
    return new MissionDocument("m-1", "p", "1", "RUNNING", null, Map.of(), sequence, "2026-01-01T00:00:00Z",
        "2026-01-01T00:00:00Z", List.of(), false);
  }

  private static MissionEvent rejection(long sequence, String message) {
    return new MissionEvent("m-1", sequence, Instant.parse("2026-01-01T00:00:00Z"), COMMAND,
        new InputRejected("cancel", message, RejectionReason.UNKNOWN_STAGE));
  }

  /** As LogFeed: every listener in turn, on the thread that delivers. */
  private static final class Feed {
    final List<Consumer<MissionEvent>> listeners = new CopyOnWriteArrayList<>();
    final CountDownLatch subscribed = new CountDownLatch(1);
    final CountDownLatch released = new CountDownLatch(1);

    AutoCloseable subscribe(Consumer<MissionEvent> listener) {
      listeners.add(listener);
      subscribed.countDown();
      return () -> {
        listeners.remove(listener);
        released.countDown();
      };
    }

    void deliver(MissionEvent event) {
      listeners.forEach(listener -> listener.accept(event));
    }
  }
}
