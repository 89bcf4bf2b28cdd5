package io.groundcontrol.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A wrong --advertised-host is said at start, in one line, before other instances meet it as 503s. */
class AdvertisedAddressTest {
  private HttpServer server;

  private int serverPort() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> {
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
    });
    server.start();
    return server.getAddress().getPort();
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  @Test
  void aNameThatDoesNotResolveIsAWarning() {
    assertThat(new AdvertisedAddress("no-such-host.invalid", 8080, "0.0.0.0").warnings()).singleElement().asString()
        .startsWith("--advertised-host no-such-host.invalid does not resolve on this machine");
  }

  @Test
  void loopbackAdvertisedWhileListeningOnEveryInterfaceIsAWarning() {
    assertThat(new AdvertisedAddress("localhost", 8080, "0.0.0.0").warnings()).singleElement().asString()
        .startsWith("--advertised-host localhost is this machine's loopback address");
    assertThat(new AdvertisedAddress("localhost", 8080, "127.0.0.1").warnings()).isEmpty();
  }

  @Test
  void listeningOnLoopbackOnlyWhileAdvertisingAnotherAddressIsAWarning() {
    assertThat(new AdvertisedAddress("10.1.2.3", 8080, "127.0.0.1").warnings()).singleElement().asString()
        .startsWith("--api-bind 127.0.0.1 listens on this machine only");
  }

  @Test
  void aServerAnsweringAtTheAdvertisedAddressBeforeThisInstanceListensRefusesTheStart() throws IOException {
    int port = serverPort();

    assertThat(new AdvertisedAddress("127.0.0.1", port, "0.0.0.0").answerAt()).hasValueSatisfying(line ->
        assertThat(line).startsWith("Expected no server at this instance's advertised address 127.0.0.1:" + port
            + " before it listens, but one answers there (HTTP 200)").contains("--advertised-host"));
  }

  @Test
  void nothingAnsweringThereIsFine() throws IOException {
    int closed;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = socket.getLocalPort();
    }

    assertThat(new AdvertisedAddress("127.0.0.1", closed, "0.0.0.0").answerAt()).isEmpty();
  }

  @Test
  void anAddressOfThisMachineIsLeftToListeningWhichSaysAPortIsTakenItself() throws IOException {
    int port = serverPort();

    assertThat(new AdvertisedAddress("127.0.0.1", port, "0.0.0.0").takenBy()).isEmpty();
  }
}
