package io.groundcontrol.cli;

import io.groundcontrol.coordinator.Coordinator;
import io.groundcontrol.coordinator.CoordinatorConfig;
import io.groundcontrol.coordinator.TopicSetup;
import io.groundcontrol.kafka.embedded.EmbeddedKafka;
import io.groundcontrol.kafka.embedded.EmbeddedKafkaException;
import io.groundcontrol.schema.wire.TopicNames;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** An embedded broker and a coordinator on one data dir: what `dev` and `demo` run. */
final class LocalStack implements AutoCloseable {
  private final Path dataDir;
  private final EmbeddedKafka broker;
  private final Coordinator coordinator;

  private LocalStack(Path dataDir, EmbeddedKafka broker, Coordinator coordinator) {
    this.dataDir = dataDir;
    this.broker = broker;
    this.coordinator = coordinator;
  }

  /**
   * Starts both; tries {@code port} first and any free port if it is taken.
   *
   * @param partitions partitions of the mission topics created on first start
   */
  static LocalStack start(Path dataDir, int port, int partitions, TopicNames topics) {
    try {
      Files.createDirectories(dataDir);
    } catch (IOException e) {
      throw new UncheckedIOException("Could not create data dir " + dataDir, e);
    }
    EmbeddedKafka broker = startBroker(dataDir, port, partitions);
    try {
      CoordinatorConfig config = CoordinatorConfig.defaults(broker.bootstrapServers(), DevInstance.stateDir(dataDir))
          .withTopics(topics, topics.prefix() + "-coordinator");
      Coordinator coordinator = Coordinator.start(config, new TopicSetup(partitions, (short) 1), Duration.ofSeconds(60));
      DevInstance.announce(dataDir, broker.bootstrapServers());
      return new LocalStack(dataDir, broker, coordinator);
    } catch (RuntimeException e) {
      broker.close();
      throw e;
    }
  }

  private static EmbeddedKafka startBroker(Path dataDir, int port, int partitions) {
    try {
      return EmbeddedKafka.builder().dataDir(DevInstance.brokerDir(dataDir)).port(port).defaultPartitions(partitions)
          .build().start();
    } catch (EmbeddedKafkaException e) {
      if (port == 0) {
        throw e;
      }
      return EmbeddedKafka.builder().dataDir(DevInstance.brokerDir(dataDir)).port(0).defaultPartitions(partitions)
          .build().start();
    }
  }

  String bootstrapServers() {
    return broker.bootstrapServers();
  }

  Coordinator coordinator() {
    return coordinator;
  }

  @Override
  public void close() {
    DevInstance.withdraw(dataDir);
    coordinator.close();
    broker.close();
  }
}
