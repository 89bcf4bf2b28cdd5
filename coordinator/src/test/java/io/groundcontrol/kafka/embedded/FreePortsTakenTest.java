package io.groundcontrol.kafka.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

class FreePortsTakenTest {
  @Test
  void aPortSomethingListensOnIsTakenAndFreeOnceItIsClosed() throws Exception {
    int port;
    try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = listener.getLocalPort();
      assertThat(FreePorts.taken(port)).isTrue();
    }
    assertThat(FreePorts.taken(port)).isFalse();
  }

  @Test
  void aPortTakenOnEveryAddressIsTakenOnLoopbackToo() throws Exception {
    try (ServerSocket listener = new ServerSocket(0)) {
      assertThat(FreePorts.taken(listener.getLocalPort())).isTrue();
    }
  }
}
