package io.groundcontrol.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What can be checked cheaply, before a coordinator instance listens, of the address other
 * instances will reach its API at ({@code application.server}). A wrong one is otherwise silent:
 * reads of the missions this instance owns, and every list, answer 503 on every instance.
 *
 * @param host the advertised host ({@code --advertised-host})
 * @param port the API port ({@code --api-port}); 0 when chosen at start
 * @param bind the interface the API listens on ({@code --api-bind})
 */
record AdvertisedAddress(String host, int port, String bind) {
  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);

  /**
   * One-line warnings about what may be right in some setups: a name that does not resolve here
   * (it may resolve for the others, or later), loopback advertised or bound while the other side is not.
   */
  List<String> warnings() {
    List<String> warnings = new ArrayList<>();
    Optional<InetAddress> address = resolved();
    if (address.isEmpty()) {
      warnings.add("--advertised-host " + host + " does not resolve on this machine; other instances reach this "
          + "one's API at " + host + ":" + port + ", and answer 503 for its missions until they can");
      return warnings;
    }
    boolean boundToLoopback = isLoopback(bind);
    if (address.get().isLoopbackAddress() && !boundToLoopback) {
      warnings.add("--advertised-host " + host + " is this machine's loopback address: instances on other machines "
          + "cannot reach this one's API, and answer 503 for its missions; give a name they can reach");
    } else if (!address.get().isLoopbackAddress() && boundToLoopback) {
      warnings.add("--api-bind " + bind + " listens on this machine only, but other instances reach this one at "
          + host + "; bind 0.0.0.0 or that address");
    }
    return warnings;
  }

  /**
   * Why this instance must not start, if another server already answers HTTP at the advertised
   * address of another machine: its peers would ask that one for this one's missions. (On this
   * machine, listening on a taken port fails and says so itself.)
   */
  Optional<String> takenBy() {
    Optional<InetAddress> address = resolved();
    if (port == 0 || address.isEmpty() || isLocal(address.get())) {
      return Optional.empty();
    }
    return answerAt();
  }

  /** The refusal if any HTTP server answers at the advertised address now; empty if none does. */
  Optional<String> answerAt() {
    HttpClient client = HttpClient.newBuilder().connectTimeout(PROBE_TIMEOUT).build();
    HttpRequest probe = HttpRequest.newBuilder(URI.create("http://" + hostPort() + "/health/live"))
        .timeout(PROBE_TIMEOUT).GET().build();
    try {
      int status = client.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode();
      return Optional.of("Expected no server at this instance's advertised address " + hostPort() + " before it "
          + "listens, but one answers there (HTTP " + status + "): another instance advertises the same "
          + "--advertised-host, or the name points to another machine; give each instance a name or address of its own");
    } catch (IOException e) {
      // Nothing answers (refused, reset, or silent): the address is free for this instance.
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  private String hostPort() {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }

  private Optional<InetAddress> resolved() {
    try {
      return Optional.of(InetAddress.getByName(host));
    } catch (UnknownHostException | SecurityException e) {
      return Optional.empty();
    }
  }

  private static boolean isLoopback(String bind) {
    try {
      return InetAddress.getByName(bind).isLoopbackAddress();
    } catch (UnknownHostException | SecurityException e) {
      return false;
    }
  }

  private static boolean isLocal(InetAddress address) {
    try {
      return address.isAnyLocalAddress() || address.isLoopbackAddress()
          || NetworkInterface.getByInetAddress(address) != null;
    } catch (SocketException e) {
      return false;
    }
  }
}
