package io.groundcontrol.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.Javalin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The server's failures in the API's error shape, on a server with routes that read their body. */
class ApiErrorsTest {
  static final HttpClient HTTP = HttpClient.newHttpClient();
  static Javalin server;

  @BeforeAll
  static void start() {
    server = Javalin.create(config -> {
      config.routes.post("/api/v1/echo", ctx -> ctx.result(ctx.body()));
      config.routes.post("/ui/echo", ctx -> ctx.result(ctx.body()));
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

  @Test
  void aBodyAtTheLimitIsRead() throws Exception {
    assertThat(post("/api/v1/echo", new byte[1_000_000]).statusCode()).isEqualTo(200);
  }

  private static HttpResponse<String> post(String path, byte[] body) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
