package io.groundcontrol.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.groundcontrol.query.QueryUnavailableException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A peer's 404 means "not here" only when it is the API's own answer for that mission or schedule. */
class HttpPeersTest {
  private final HttpPeers peers = new HttpPeers();
  private HttpServer server;

  private HostInfo peerAnswering404(String body) throws IOException {
    return peerAnswering(404, body);
  }

  private HostInfo peerAnswering(int status, String body) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> {
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(status, bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    });
    server.start();
    return new HostInfo("127.0.0.1", server.getAddress().getPort());
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  @Test
  void theApisOwnAnswerForTheMissionMeansItIsNotThere() throws IOException {
    HostInfo peer = peerAnswering404("{\"status\":404,\"error\":\"Expected mission 'm-1' in partition 3 here, but "
        + "there is none\",\"missionId\":\"m-1\",\"partition\":3}");

    assertThat(peers.mission(peer, "m-1", 3, "Bearer k")).isEmpty();
  }

  @Test
  void aNotFoundPageOfAnotherServiceIsUnavailableNotUnknown() throws IOException {
    HostInfo peer = peerAnswering404("<html><body>Not Found</body></html>");

    assertThatThrownBy(() -> peers.mission(peer, "m-1", 3, "Bearer k"))
        .isInstanceOf(QueryUnavailableException.class)
        .hasMessageContaining("answered 404 without naming 'm-1'").hasMessageContaining("--advertised-host");
  }

  /**
   * What {@code mission list} printed when an instance could not read its share: "Instance
   * HostInfo{host='10.0.0.7', port=8080} answered 503: {"status":503,"error":"Partition 0 is ...",
   * "retryAfterSeconds":1}", Java's toString and the peer's JSON inside the line.
   */
  @Test
  void aPeersRefusalNamesItsAddressAndSaysItsWords() throws IOException {
    HostInfo peer = peerAnswering(503, "{\"status\":503,\"error\":\"Partition 0 is not queryable here now\","
        + "\"retryAfterSeconds\":1}");

    assertThatThrownBy(() -> peers.mission(peer, "m-1", 0, "Bearer k"))
        .isInstanceOf(QueryUnavailableException.class)
        .hasMessage("Instance 127.0.0.1:" + peer.port() + " answered 503: Partition 0 is not queryable here now");
  }

  @Test
  void anotherMissionsNotFoundIsNotTakenForThisOne() throws IOException {
    HostInfo peer = peerAnswering404("{\"status\":404,\"error\":\"x\",\"missionId\":\"m-2\",\"partition\":3}");

    assertThatThrownBy(() -> peers.mission(peer, "m-1", 3, "Bearer k")).isInstanceOf(QueryUnavailableException.class);
  }

  @Test
  void schedulesTooNeedTheApisOwnAnswer() throws IOException {
    HostInfo peer = peerAnswering404("{\"status\":404,\"error\":\"x\",\"schedule\":\"nightly\",\"partition\":0}");

    assertThat(peers.schedule(peer, "nightly", 0, "Bearer k")).isEmpty();
    assertThatThrownBy(() -> peers.schedule(peer, "hourly", 0, "Bearer k"))
        .isInstanceOf(QueryUnavailableException.class);
  }
}
