package io.groundcontrol.cli;

import io.groundcontrol.schema.wire.TopicNames;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Where the commands find Kafka: an external cluster, or the local data dir of `dev` and `demo`. */
final class ClusterOptions {
  @Option(
      names = "--bootstrap-servers",
      defaultValue = "${env:GROUNDCONTROL_BOOTSTRAP_SERVERS}",
      description = "Kafka bootstrap servers (env GROUNDCONTROL_BOOTSTRAP_SERVERS). Absent: the local data dir's "
          + "running `dev` broker, or an embedded broker started on the data dir for this command.")
  String bootstrapServers;

  @Option(
      names = "--data-dir",
      defaultValue = "${env:GROUNDCONTROL_DATA_DIR:-.groundcontrol}",
      description = "Local data directory of the embedded broker and coordinator (default: ${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(
      names = "--topic-prefix",
      defaultValue = "groundcontrol",
      converter = TopicPrefixConverter.class,
      description = "Prefix of every Groundcontrol topic (default: ${DEFAULT-VALUE}).")
  String topicPrefix;

  @Mixin KafkaClientOptions kafka;

  TopicNames topics() {
    return new TopicNames(topicPrefix);
  }

  /**
   * Whether this reads what {@code dev} runs: its prefix, on the data dir's broker (no servers nor
   * Kafka settings given) or on the servers it announced.
   */
  boolean targets(DevInstance.Served dev) {
    boolean local = (bootstrapServers == null || bootstrapServers.isBlank()) && !kafka.given();
    return (local || bootstrapServers != null && bootstrapServers.strip().equals(dev.bootstrapServers()))
        && topicPrefix.equals(dev.topicPrefix());
  }

  /** Connects as described above; close the result to stop a broker started for this command. */
  KafkaTarget connect() {
    return KafkaTarget.connect(bootstrapServers, dataDir, kafka);
  }
}
