package io.groundcontrol.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Whether a TCP port of the loopback address can be listened on, for the local stack's fallbacks. */
final class LoopbackPort {
  private LoopbackPort() {}

  /** True if something listens on {@code port} of 127.0.0.1 (or on every address), so binding it would fail. */
  static boolean taken(int port) {
    try (ServerSocket probe = new ServerSocket()) {
      probe.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
      return false;
    } catch (IOException e) {
      return true;
    }
  }
}
