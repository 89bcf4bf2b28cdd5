package io.groundcontrol.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.groundcontrol.client.WriteNotTakenException;
import io.javalin.Javalin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The server's failures in the API's error shape, on a server with routes that read their body. */
class ApiErrorsTest {
  static final HttpClient HTTP = HttpClient.newHttpClient();
  static Javalin server;

  @BeforeAll
  static void start() {
    server = Javalin.create(config -> {
      config.routes.post("/api/v1/echo", ctx -> ctx.result(ctx.body()));
      config.routes.post("/ui/echo", ctx -> ctx.result(ctx.body()));
      config.routes.get("/api/v1/things/{id}", ctx -> ctx.result(ctx.pathParam("id")));
      config.routes.get("/ui/things/{id}", ctx -> ctx.result(ctx.pathParam("id")));
      config.routes.post("/api/v1/plans", ctx -> {
        throw new WriteNotTakenException("plan 'etl' version 3", "It may still be written: applying it again is safe",
            new TimeoutException("Topic gc.plans not present in metadata after 10000 ms."));
      });
      config.routes.get("/api/v1/broken", UnexpectedError.passedOnAsException(ctx -> {
        throw new NoClassDefFoundError("io/groundcontrol/query/MissionDocument");
      }));
      ApiErrors.install(config);
    }).start("127.0.0.1", 0);
  }

  @AfterAll
  static void stop() {
    server.stop();
  }

  @Test
  void aBodyOverTheLimitIsAJsonErrorOnTheApi() throws Exception {
    HttpResponse<String> answer = post("/api/v1/echo", new byte[1_000_001]);

    assertThat(answer.statusCode()).isEqualTo(413);
    JsonNode body = Json.MAPPER.readTree(answer.body());
    assertThat(body.path("status").asInt()).isEqualTo(413);
    assertThat(body.path("error").asText()).isEqualTo("Expected a request body of at most 1000000 bytes, but this one is larger");
  }

  @Test
  void aBodyOverTheLimitIsOneLineOfTextElsewhere() throws Exception {
    HttpResponse<String> answer = post("/ui/echo", new byte[1_000_001]);

    assertThat(answer.statusCode()).isEqualTo(413);
    assertThat(answer.body()).isEqualTo("Expected a request body of at most 1000000 bytes, but this one is larger");
  }

  /** Before, any write Kafka did not take (the cluster away) was a 500 with an incident id, after 30-60 s. */
  @Test
  void aWriteKafkaDidNotTakeIsA503WithRetryAfterSayingWhetherToSendItAgain() throws Exception {
    HttpResponse<String> answer = post("/api/v1/plans", new byte[0]);

    assertThat(answer.statusCode()).isEqualTo(503);
    assertThat(answer.headers().firstValue("Retry-After")).hasValue("5");
    JsonNode body = Json.MAPPER.readTree(answer.body());
    assertThat(body.path("error").asText()).isEqualTo("Kafka did not take the plan 'etl' version 3 (Topic gc.plans "
        + "not present in metadata after 10000 ms.); is the cluster reachable? It may still be written: applying it "
        + "again is safe");
    assertThat(body.path("retryAfterSeconds").asInt()).isEqualTo(5);
  }

  /** Before, an Error (here a class that failed to load, as under a jar rewritten in place) answered an empty 500. */
  @Test
  void anErrorInAHandlerIsA500WithAnIncidentId() throws Exception {
    HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/api/v1/broken")).build(),
        HttpResponse.BodyHandlers.ofString());

    assertThat(answer.statusCode()).isEqualTo(500);
    JsonNode body = Json.MAPPER.readTree(answer.body());
    assertThat(body.path("error").asText()).startsWith("Expected to answer, but the request failed unexpectedly; the "
        + "coordinator's log has the details under incident ").endsWith(body.path("incident").asText());
    assertThat(body.path("incident").asText()).hasSize(36);
  }

  @Test
  void aBodyAtTheLimitIsRead() throws Exception {
    assertThat(post("/api/v1/echo", new byte[1_000_000]).statusCode()).isEqualTo(200);
  }

  /** Jetty refuses these before any route: they get the API's error, not Jetty's HTML page. */
  @ParameterizedTest
  @CsvSource({
      "GET, /api/v1/things/%, 400, 'Expected a well-formed HTTP request, but got one that is not: Bad URI % encoding'",
      "PUT, /api/v1/things/a%00b, 400, 'Expected a well-formed HTTP request, but got one that is not: Illegal character in path'",
      "GET, /api/v1/things/%FF%FE, 400, 'Expected a well-formed HTTP request, but got one that is not: Bad UTF-8 encoding'",
      "DELETE, /api/v1/things/%FF%FE, 400, 'Expected a well-formed HTTP request, but got one that is not: Bad UTF-8 encoding'",
      "POST, /api/v1/things/%C0%AF, 400, 'Expected a well-formed HTTP request, but got one that is not: Bad UTF-8 encoding'",
      "GET, /api/v1/things/<9000>, 414, 'Expected a request line of at most 8192 bytes, but this one''s URI is longer'"})
  void aRequestJettyRefusesIsAJsonErrorOnTheApi(String method, String target, int status, String error) throws Exception {
    RawHttp.Response answer = RawHttp.send(server.port(), RawHttp.Request.of(method, target.replace("<9000>", "y".repeat(9000))));

    assertThat(answer.status()).isEqualTo(status);
    assertThat(answer.contentType()).isEqualTo("application/json");
    JsonNode body = Json.MAPPER.readTree(answer.body());
    assertThat(body.path("status").asInt()).isEqualTo(status);
    assertThat(body.path("error").asText()).isEqualTo(error);
  }

  @Test
  void aRequestJettyRefusesIsOneLineOfTextOnTheUi() throws Exception {
    RawHttp.Response answer = RawHttp.send(server.port(), RawHttp.Request.of("GET", "/ui/things/%FF%FE"));

    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.contentType()).startsWith("text/plain");
    assertThat(answer.body()).isEqualTo("Expected a well-formed HTTP request, but got one that is not: Bad UTF-8 encoding");
  }

  private static HttpResponse<String> post(String path, byte[] body) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
