package io.groundcontrol.bench;

import io.groundcontrol.api.ApiServer;
import io.groundcontrol.client.KafkaConnection;
import io.groundcontrol.coordinator.Coordinator;
import io.groundcontrol.coordinator.CoordinatorConfig;
import io.groundcontrol.coordinator.TopicSetup;
import io.groundcontrol.kafka.embedded.EmbeddedKafka;
import io.groundcontrol.schema.wire.TopicNames;
import java.nio.file.Path;
import java.time.Duration;

/**
 * What the read-side benchmarks measure against, in this JVM: an embedded broker, one coordinator
 * and its HTTP API (and web UI). Closing stops all three and deletes the scratch directory.
 */
final class ApiStack implements AutoCloseable {
  private final Path dir;
  private final EmbeddedKafka kafka;
  private final ApiServer api;
  private final CoordinatorConfig config;
  private final int partitions;
  private Coordinator coordinator;

  private ApiStack(Path dir, EmbeddedKafka kafka, ApiServer api, CoordinatorConfig config, int partitions,
      Coordinator coordinator) {
    this.dir = dir;
    this.kafka = kafka;
    this.api = api;
    this.config = config;
    this.partitions = partitions;
    this.coordinator = coordinator;
  }

  /** Starts the three, the installation named by {@code topics}, with {@code partitions} per topic. */
  static ApiStack start(String name, TopicNames topics, int partitions) throws Exception {
    Path dir = Scratch.directory("gc-" + name + "-bench-");
    EmbeddedKafka kafka = EmbeddedKafka.builder().dataDir(dir.resolve("kafka")).port(0)
        .defaultPartitions(partitions).build().start();
    ApiServer api = ApiServer.start(ApiServer.Settings.local(0));
    CoordinatorConfig config = api.configure(CoordinatorConfig.defaults(kafka.bootstrapServers(), dir.resolve("state"))
        .withTopics(topics, name + "-coordinator"));
    Coordinator coordinator = Coordinator.start(config, new TopicSetup(partitions, (short) 1), Duration.ofMinutes(2));
    api.attach(coordinator);
    return new ApiStack(dir, kafka, api, config, partitions, coordinator);
  }

  /**
   * Stops the coordinator cleanly and starts another on the same state directory, as a restart
   * of the process would; the API stays attached to the stopped one, so read the new one's stores.
   */
  Coordinator restartCoordinator() {
    coordinator.close();
    coordinator = Coordinator.start(config, new TopicSetup(partitions, (short) 1), Duration.ofMinutes(2));
    return coordinator;
  }

  String bootstrapServers() {
    return kafka.bootstrapServers();
  }

  KafkaConnection connection() {
    return KafkaConnection.plaintext(kafka.bootstrapServers());
  }

  ApiServer api() {
    return api;
  }

  CoordinatorConfig config() {
    return config;
  }

  @Override
  public void close() throws Exception {
    try {
      api.close();
      coordinator.close();
      kafka.close();
    } finally {
      Scratch.delete(dir);
    }
  }
}
