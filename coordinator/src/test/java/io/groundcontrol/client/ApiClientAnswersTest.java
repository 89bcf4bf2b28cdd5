package io.groundcontrol.client;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the CLI says when the API answers a read with an error, on a stub server (no broker). */
class ApiClientAnswersTest {
  private HttpServer server;
  private String base;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/api/v1/missions/empty", exchange -> {
      exchange.sendResponseHeaders(500, -1);
      exchange.close();
    });
    server.createContext("/api/v1/missions/reasoned", exchange -> {
      byte[] body = "{\"status\":500,\"error\":\"Expected to answer, but ... incident 42\"}".getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(500, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
    base = "http://127.0.0.1:" + server.getAddress().getPort() + "/api/v1";
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  /** A server that failed before it could say why (an Error in the coordinator, a proxy) printed "...: " and nothing. */
  @Test
  void anAnswerWithoutAReasonSaysSoAndWhereToLook() {
    assertThatThrownBy(() -> new ApiClient(base, "k").mission("empty")).isInstanceOf(ApiClient.Refused.class)
        .hasMessage("The API answered 500 for " + base + "/missions/empty, with no reason in its answer (the log of "
            + "the coordinator, or of a proxy in front of it, may say why)");
  }

  @Test
  void anAnswerWithAReasonGivesIt() {
    assertThatThrownBy(() -> new ApiClient(base, "k").mission("reasoned")).isInstanceOf(ApiClient.Refused.class)
        .hasMessage("The API answered 500 for " + base + "/missions/reasoned: Expected to answer, but ... incident 42");
  }
}
