package io.groundcontrol.kafka.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Finds loopback ports that are free at the moment of asking. */
public final class FreePorts {

    private FreePorts() {
    }

    /**
     * Returns two distinct free ports on 127.0.0.1.
     *
     * <p>Both sockets stay bound until both ports are known, so the two answers cannot coincide.
     * Another process may still take a port before Kafka binds it; {@link EmbeddedKafka} retries then.
     */
    static int[] two() {
        return several(2);
    }

    /** Returns {@code count} distinct free ports on 127.0.0.1, like {@link #two()}. */
    public static int[] several(int count) {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        ServerSocket[] sockets = new ServerSocket[count];
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                sockets[i] = new ServerSocket(0, 1, loopback);
                ports[i] = sockets[i].getLocalPort();
            }
            return ports;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not find free loopback ports", e);
        } finally {
            for (ServerSocket socket : sockets) {
                closeQuietly(socket);
            }
        }
    }

    /** True if something listens on {@code port} of 127.0.0.1 (or on every address), so binding it would fail. */
    public static boolean taken(int port) {
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    private static void closeQuietly(ServerSocket socket) {
        if (socket == null) {
            return;
        }
        try {
            socket.close();
        } catch (IOException e) {
            // The port is only probed; a failed close leaves nothing to undo.
        }
    }
}
