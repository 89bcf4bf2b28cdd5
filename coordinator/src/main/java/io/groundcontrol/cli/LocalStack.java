package io.groundcontrol.cli;

import io.groundcontrol.api.ApiServer;
import io.groundcontrol.client.KafkaConnection;
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
  private final ApiServer api;
  private final String apiKey;

  private LocalStack(Path dataDir, EmbeddedKafka broker, Coordinator coordinator, ApiServer api, String apiKey) {
    this.dataDir = dataDir;
    this.broker = broker;
    this.coordinator = coordinator;
    this.api = api;
    this.apiKey = apiKey;
  }

  /** Starts both with the HTTP API on any free port. */
  static LocalStack start(Path dataDir, int port, int partitions, TopicNames topics) {
    return start(dataDir, port, partitions, topics, 0);
  }

  /**
   * Starts both; tries {@code port} first and any free port if it is taken.
   *
   * @param partitions partitions of the mission topics created on first start
   */
  static LocalStack start(Path dataDir, int port, int partitions, TopicNames topics, int apiPort) {
    try {
      Files.createDirectories(dataDir);
    } catch (IOException e) {
      throw new UncheckedIOException("Could not create data dir " + dataDir, e);
    }
    EmbeddedKafka broker = startBroker(dataDir, port, partitions);
    ApiServer api = null;
    try {
      api = startApi(apiPort);
      CoordinatorConfig config = api.configure(
          CoordinatorConfig.defaults(broker.bootstrapServers(), DevInstance.stateDir(dataDir))
              .withTopics(topics, topics.prefix() + "-coordinator"));
      Coordinator coordinator = Coordinator.start(config, new TopicSetup(partitions, (short) 1), Duration.ofSeconds(60));
      api.attach(coordinator);
      String key = LocalApiKey.ensure(dataDir, KafkaConnection.plaintext(broker.bootstrapServers()), topics, api);
      DevInstance.announce(dataDir, broker.bootstrapServers(), api.baseUrl());
      return new LocalStack(dataDir, broker, coordinator, api, key);
    } catch (RuntimeException e) {
      if (api != null) {
        api.close();
      }
      broker.close();
      throw e;
    }
  }

  /** The API on {@code port}, or on any free port if that one is taken. */
  private static ApiServer startApi(int port) {
    try {
      return ApiServer.start(ApiServer.Settings.local(port));
    } catch (RuntimeException e) {
      if (port == 0) {
        throw e;
      }
      return ApiServer.start(ApiServer.Settings.local(0));
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

  /** The base URL of the HTTP API, e.g. {@code http://127.0.0.1:8080/api/v1}. */
  String apiUrl() {
    return api.baseUrl();
  }

  /** An admin key for the API, kept in the data dir for the CLI (see {@link LocalApiKey}). */
  String apiKey() {
    return apiKey;
  }

  @Override
  public void close() {
    DevInstance.withdraw(dataDir);
    api.close();
    coordinator.close();
    broker.close();
  }
}
