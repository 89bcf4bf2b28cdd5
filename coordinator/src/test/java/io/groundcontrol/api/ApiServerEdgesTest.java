package io.groundcontrol.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What the API server answers at its edges, before any coordinator is attached (no broker). */
class ApiServerEdgesTest {
  static final HttpClient HTTP = HttpClient.newHttpClient();
  static ApiServer server;
  static String base;

  @BeforeAll
  static void start() {
    server = ApiServer.start(ApiServer.Settings.local(0));
    base = "http://127.0.0.1:" + server.advertised().port();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void answersAreNotToBeSniffed() throws Exception {
    HttpResponse<String> answer = send(HttpRequest.newBuilder(URI.create(base + "/health/live")).GET());

    assertThat(answer.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
  }

  @Test
  void anUnknownRouteIsAJsonError() throws Exception {
    HttpResponse<String> answer = send(HttpRequest.newBuilder(URI.create(base + "/api/v1/nope"))
        .header("Accept", "text/html").GET());

    assertThat(answer.statusCode()).isEqualTo(404);
    assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
    assertThat(Json.MAPPER.readTree(answer.body()).path("error").asText())
        .isEqualTo("Expected a route at GET /api/v1/nope, but there is none (see /api/v1/openapi.json)");
  }

  /** Unattached, a GET answers 503; a HEAD must not look healthier, nor skip the key check. */
  @Test
  void headGoesThroughTheSameChecksAsGet() throws Exception {
    HttpResponse<String> get = send(HttpRequest.newBuilder(URI.create(base + "/api/v1/plans")).GET());
    HttpResponse<String> head = send(HttpRequest.newBuilder(URI.create(base + "/api/v1/plans"))
        .method("HEAD", HttpRequest.BodyPublishers.noBody()));

    assertThat(get.statusCode()).isEqualTo(503);
    assertThat(head.statusCode()).isEqualTo(503);
  }

  static HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
