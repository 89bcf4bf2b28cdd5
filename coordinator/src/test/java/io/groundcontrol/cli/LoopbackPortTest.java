package io.groundcontrol.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

class LoopbackPortTest {
  @Test
  void aPortSomethingListensOnIsTakenAndFreeOnceItIsClosed() throws Exception {
    int port;
    try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = listener.getLocalPort();
      assertThat(LoopbackPort.taken(port)).isTrue();
    }
    assertThat(LoopbackPort.taken(port)).isFalse();
  }

  @Test
  void aPortTakenOnEveryAddressIsTakenOnLoopbackToo() throws Exception {
    try (ServerSocket listener = new ServerSocket(0)) {
      assertThat(LoopbackPort.taken(listener.getLocalPort())).isTrue();
    }
  }
}
