package io.groundcontrol.kafka.embedded;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.common.Node;

/** Waits until a broker answers clients the way a real client will see it: through its advertised listener. */
final class ReadinessProbe {

    private static final long RETRY_BACKOFF_MS = 100;

    private ReadinessProbe() {
    }

    /**
     * Blocks until {@code describeCluster} lists at least one broker.
     *
     * @return the cluster id the broker reports
     * @throws EmbeddedKafkaException if that does not happen within {@code timeout}
     */
    static String awaitReady(String bootstrapServers, Map<String, String> clientSettings, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Exception last = null;
        Map<String, Object> config = new HashMap<>(clientSettings);
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(AdminClientConfig.CLIENT_ID_CONFIG, "groundcontrol-embedded-readiness");
        try (Admin admin = Admin.create(config)) {
            while (System.nanoTime() < deadline) {
                int remainingMs = (int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
                try {
                    DescribeClusterResult cluster = admin.describeCluster(new DescribeClusterOptions().timeoutMs(remainingMs));
                    Collection<Node> nodes = cluster.nodes().get();
                    if (!nodes.isEmpty()) {
                        return cluster.clusterId().get();
                    }
                } catch (ExecutionException e) {
                    last = e;
                }
                Thread.sleep(RETRY_BACKOFF_MS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EmbeddedKafkaException("Interrupted while waiting for Kafka at " + bootstrapServers, e);
        }
        throw new EmbeddedKafkaException(
                "Expected Kafka at " + bootstrapServers + " to list a broker within " + timeout + ", but it did not", last);
    }
}
