package io.groundcontrol.kafka.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Finds loopback ports that are free at the moment of asking. */
final class FreePorts {

    private FreePorts() {
    }

    /**
     * Returns two distinct free ports on 127.0.0.1.
     *
     * <p>Both sockets stay bound until both ports are known, so the two answers cannot coincide.
     * Another process may still take a port before Kafka binds it; {@link EmbeddedKafka} retries then.
     */
    static int[] two() {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (ServerSocket first = new ServerSocket(0, 1, loopback);
             ServerSocket second = new ServerSocket(0, 1, loopback)) {
            return new int[] {first.getLocalPort(), second.getLocalPort()};
        } catch (IOException e) {
            throw new UncheckedIOException("Could not find free loopback ports", e);
        }
    }
}
