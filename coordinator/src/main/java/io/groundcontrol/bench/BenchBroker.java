package io.groundcontrol.bench;

import io.groundcontrol.chaos.ChildJvm;
import io.groundcontrol.client.KafkaConnection;
import io.groundcontrol.client.KafkaSettingsException;
import io.groundcontrol.coordinator.BrokerRetryAdvice;
import io.groundcontrol.kafka.embedded.EmbeddedKafka;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.FeatureUpdate;
import org.apache.kafka.clients.admin.FinalizedVersionRange;
import org.apache.kafka.clients.admin.UpdateFeaturesOptions;

/**
 * The Kafka the benchmark runs against: a given cluster, or an embedded broker on a scratch
 * directory, in the benchmark's JVM or in a JVM of its own. In the benchmark's JVM the broker shares
 * the JIT compiler, the heap and the safepoints with the coordinator it measures, which no
 * production installation does; on this 2-core machine a third JVM measured no better (BENCHMARKS.md),
 * so that stays the default, and the child is there to profile the coordinator without the broker.
 * A child's CPU still counts as the benchmark's ({@link ChildProcesses}).
 */
final class BenchBroker implements AutoCloseable {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
  private static final String CHILD_HEAP = "768m";
  private static final String TRANSACTION_VERSION = "transaction.version";

  private final KafkaConnection cluster;
  private final EmbeddedKafka embedded;
  private final ChildJvm child;
  private final Thread killChild;
  private final Path dataDir;
  private final List<String> childOptions;

  private BenchBroker(KafkaConnection cluster, EmbeddedKafka embedded, ChildJvm child, Path dataDir) {
    this(cluster, embedded, child, dataDir, List.of());
  }

  private BenchBroker(KafkaConnection cluster, EmbeddedKafka embedded, ChildJvm child, Path dataDir,
      List<String> childOptions) {
    this.cluster = cluster;
    this.childOptions = List.copyOf(childOptions);
    this.embedded = embedded;
    this.child = child;
    this.dataDir = dataDir;
    // Should this JVM be stopped (Ctrl-C) before close(), no broker is left running.
    this.killChild = child == null ? null : new Thread(child::kill, "groundcontrol-bench-broker-cleanup");
    if (killChild != null) {
      Runtime.getRuntime().addShutdownHook(killChild);
    }
  }

  /**
   * Starts the broker {@code choice} names, or connects to its cluster; an embedded broker's
   * {@code transaction.version} is set as the choice says before anything else uses it.
   */
  static BenchBroker start(BrokerChoice choice, int partitions) {
    if (choice.cluster() != null) {
      return new BenchBroker(choice.cluster(), null, null, null);
    }
    BenchBroker broker = startEmbedded(choice.ownProcess(), choice.jvmOptions(), choice.properties(), partitions);
    if (choice.transactionVersion() != null) {
      try {
        broker.setTransactionVersion(choice.transactionVersion());
      } catch (RuntimeException e) {
        broker.close();
        throw e;
      }
    }
    return broker;
  }

  private static BenchBroker startEmbedded(boolean ownProcess, List<String> jvmOptions, Map<String, String> properties,
      int partitions) {
    Path dir = Scratch.directory("gc-bench-kafka-");
    if (!ownProcess) {
      EmbeddedKafka kafka = EmbeddedKafka.builder().dataDir(dir).port(0).defaultPartitions(partitions)
          .brokerProperties(properties).build().start();
      return new BenchBroker(KafkaConnection.plaintext(kafka.bootstrapServers()), kafka, null, dir);
    }
    ChildJvm child = ChildJvm.start("broker", CHILD_HEAP, jvmOptions, dir.resolve("broker.log"),
        ChildJvm.brokerArgs(dir.resolve("data"), 0, partitions, properties));
    try {
      String bootstrapServers = child.awaitBrokerReady(START_TIMEOUT);
      ChildProcesses.add(child);
      return new BenchBroker(KafkaConnection.plaintext(bootstrapServers), null, child, dir, jvmOptions);
    } catch (RuntimeException e) {
      child.kill();
      Scratch.delete(dir);
      throw e;
    }
  }

  /** Moves the cluster's {@code transaction.version} feature to {@code level}, up or down, and waits until it is finalized. */
  private void setTransactionVersion(short level) {
    try (Admin admin = cluster.admin()) {
      short current = finalizedTransactionVersion(admin);
      if (current == level) {
        return;
      }
      FeatureUpdate.UpgradeType type = level < current ? FeatureUpdate.UpgradeType.SAFE_DOWNGRADE
          : FeatureUpdate.UpgradeType.UPGRADE;
      admin.updateFeatures(Map.of(TRANSACTION_VERSION, new FeatureUpdate(level, type)), new UpdateFeaturesOptions())
          .all().get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new KafkaSettingsException("Could not set the embedded broker's " + TRANSACTION_VERSION + " to " + level
          + ": " + e.getCause().getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while setting " + TRANSACTION_VERSION, e);
    } catch (TimeoutException e) {
      throw new IllegalStateException("The embedded broker did not set " + TRANSACTION_VERSION + " within 30 s", e);
    }
  }

  private static short finalizedTransactionVersion(Admin admin)
      throws ExecutionException, InterruptedException, TimeoutException {
    FinalizedVersionRange range = admin.describeFeatures().featureMetadata().get(30, TimeUnit.SECONDS)
        .finalizedFeatures().get(TRANSACTION_VERSION);
    return range == null ? 0 : range.maxVersionLevel();
  }

  KafkaConnection connection() {
    return cluster;
  }

  /** The embedded broker's scratch directory, deleted on close; null for a given cluster. */
  Path dataDir() {
    return dataDir;
  }

  /**
   * How the results describe the broker, with the transaction protocol it runs (KIP-890: 2 commits in
   * fewer round trips) and how long it waits to retry adding a partition to a transaction whose
   * previous one is still writing its markers (its default of 20 ms shows in the hand-off's tail).
   */
  String describe() {
    String where = embedded != null ? "embedded single KRaft node in this JVM"
        : child != null ? "embedded single KRaft node in a JVM of its own (-Xmx" + CHILD_HEAP
            + (childOptions.isEmpty() ? "" : " " + String.join(" ", childOptions)) + ")"
        : "external cluster " + cluster;
    try (Admin admin = cluster.admin()) {
      return where + ", " + TRANSACTION_VERSION + " " + transactionVersion(admin) + ", "
          + BrokerRetryAdvice.CONFIG + " " + addPartitionsRetryBackoff(admin);
    }
  }

  private static String transactionVersion(Admin admin) {
    try {
      return Short.toString(finalizedTransactionVersion(admin));
    } catch (Exception e) {
      return "unknown (" + e.getMessage() + ")";
    }
  }

  private static String addPartitionsRetryBackoff(Admin admin) {
    OptionalLong backoff = BrokerRetryAdvice.backoffMs(admin);
    return backoff.isPresent() ? backoff.getAsLong() + " ms" : "unknown";
  }

  @Override
  public void close() {
    if (embedded != null) {
      embedded.close();
    }
    if (child != null) {
      ChildProcesses.remove(child);
      child.kill();
      try {
        Runtime.getRuntime().removeShutdownHook(killChild);
      } catch (IllegalStateException shuttingDown) {
        // The hook is running or about to: it kills what is already gone.
      }
    }
    if (dataDir != null) {
      Scratch.delete(dataDir);
    }
  }
}
