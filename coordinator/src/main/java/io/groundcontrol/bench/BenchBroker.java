package io.groundcontrol.bench;

import io.groundcontrol.client.KafkaConnection;
import io.groundcontrol.kafka.embedded.EmbeddedKafka;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.FinalizedVersionRange;

/** The Kafka the benchmark runs against: a given cluster, or an embedded broker on a scratch directory. */
final class BenchBroker implements AutoCloseable {
  private final KafkaConnection cluster;
  private final EmbeddedKafka embedded;
  private final Path dataDir;

  private BenchBroker(KafkaConnection cluster, EmbeddedKafka embedded, Path dataDir) {
    this.cluster = cluster;
    this.embedded = embedded;
    this.dataDir = dataDir;
  }

  /** @param cluster an existing cluster, or null for an embedded broker */
  static BenchBroker start(KafkaConnection cluster, int partitions) {
    if (cluster != null) {
      return new BenchBroker(cluster, null, null);
    }
    Path dir = Scratch.directory("gc-bench-kafka-");
    EmbeddedKafka kafka = EmbeddedKafka.builder().dataDir(dir).port(0).defaultPartitions(partitions).build().start();
    return new BenchBroker(KafkaConnection.plaintext(kafka.bootstrapServers()), kafka, dir);
  }

  KafkaConnection connection() {
    return cluster;
  }

  /** How the results describe the broker, with the transaction protocol it runs (KIP-890: 2 commits in fewer round trips). */
  String describe() {
    return (embedded == null ? "external cluster " + cluster : "embedded single KRaft node in this JVM")
        + ", transaction.version " + transactionVersion();
  }

  private String transactionVersion() {
    try (Admin admin = cluster.admin()) {
      FinalizedVersionRange range = admin.describeFeatures().featureMetadata().get(30, TimeUnit.SECONDS)
          .finalizedFeatures().get("transaction.version");
      return range == null ? "0" : Short.toString(range.maxVersionLevel());
    } catch (Exception e) {
      return "unknown (" + e.getMessage() + ")";
    }
  }

  @Override
  public void close() {
    if (embedded != null) {
      embedded.close();
      Scratch.delete(dataDir);
    }
  }
}
