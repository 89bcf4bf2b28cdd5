package io.groundcontrol.bench;

import io.groundcontrol.kafka.embedded.EmbeddedKafka;
import java.nio.file.Path;

/** The Kafka the benchmark runs against: a given cluster, or an embedded broker on a scratch directory. */
final class BenchBroker implements AutoCloseable {
  private final String bootstrapServers;
  private final EmbeddedKafka embedded;
  private final Path dataDir;

  private BenchBroker(String bootstrapServers, EmbeddedKafka embedded, Path dataDir) {
    this.bootstrapServers = bootstrapServers;
    this.embedded = embedded;
    this.dataDir = dataDir;
  }

  static BenchBroker start(String bootstrapServers, int partitions) {
    if (bootstrapServers != null && !bootstrapServers.isBlank()) {
      return new BenchBroker(bootstrapServers, null, null);
    }
    Path dir = Scratch.directory("gc-bench-kafka-");
    EmbeddedKafka kafka = EmbeddedKafka.builder().dataDir(dir).port(0).defaultPartitions(partitions).build().start();
    return new BenchBroker(kafka.bootstrapServers(), kafka, dir);
  }

  String bootstrapServers() {
    return bootstrapServers;
  }

  /** How the results describe the broker. */
  String describe() {
    return embedded == null ? "external cluster " + bootstrapServers : "embedded single KRaft node in this JVM";
  }

  @Override
  public void close() {
    if (embedded != null) {
      embedded.close();
      Scratch.delete(dataDir);
    }
  }
}
