package io.groundcontrol.coordinator;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.config.ConfigResource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The brokers' wait before they retry adding a partition to a transaction whose previous one is
 * still writing its markers (transaction protocol 2, KAFKA-18654). An exactly-once stream thread
 * that writes within a millisecond or two of its last commit meets it, and its next commit waits
 * for it: Kafka's default of 20 ms put 50 ms stages' hand-off p99 at 28-29 ms here, 5 ms at 16 ms
 * (BENCHMARKS.md, issue 16). It is a broker setting, so the coordinator can only say so, once, at start.
 */
public final class BrokerRetryAdvice {
  /** The broker config. */
  public static final String CONFIG = "add.partitions.to.txn.retry.backoff.ms";

  /** The value measured best on this project's benchmark machine; 1 ms ran slower under load. */
  public static final long RECOMMENDED_MS = 5;

  private static final Logger LOG = LoggerFactory.getLogger(BrokerRetryAdvice.class);
  private static final long TIMEOUT_SECONDS = 10;

  private BrokerRetryAdvice() {
  }

  /**
   * The longest of the brokers' {@link #CONFIG}, or empty when it cannot be read (no DescribeConfigs
   * permission, a broker without the setting).
   */
  public static OptionalLong backoffMs(Admin admin) {
    try {
      Collection<Node> nodes = admin.describeCluster().nodes().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      List<ConfigResource> brokers = new ArrayList<>();
      nodes.forEach(node -> brokers.add(new ConfigResource(ConfigResource.Type.BROKER, node.idString())));
      Map<ConfigResource, Config> configs = admin.describeConfigs(brokers).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      return configs.values().stream()
          .map(config -> config.get(CONFIG))
          .filter(entry -> entry != null && entry.value() != null)
          .map(ConfigEntry::value)
          .mapToLong(Long::parseLong)
          .max();
    } catch (ExecutionException | TimeoutException | RuntimeException e) {
      LOG.debug("Could not read the brokers' {}", CONFIG, e);
      return OptionalLong.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return OptionalLong.empty();
    }
  }

  /** What to tell the operator of brokers that retry after {@code backoffMs}; empty when it is short enough. */
  static Optional<String> forBackoff(long backoffMs) {
    if (backoffMs <= RECOMMENDED_MS) {
      return Optional.empty();
    }
    return Optional.of("The brokers retry adding a partition to a transaction still committing after " + backoffMs
        + " ms (" + CONFIG + "); an exactly-once hand-off that meets it waits that long. "
        + RECOMMENDED_MS + " ms shortened the hand-off tail here; see README \"Latency and commit settings\"");
  }

  /** Logs {@link #forBackoff} for the cluster behind {@code admin}, if its setting can be read. */
  static void adviseOnce(Admin admin) {
    OptionalLong backoff = backoffMs(admin);
    if (backoff.isPresent()) {
      forBackoff(backoff.getAsLong()).ifPresent(LOG::info);
    }
  }
}
