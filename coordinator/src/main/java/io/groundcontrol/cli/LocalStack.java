package io.groundcontrol.cli;

import io.groundcontrol.api.ApiServer;
import io.groundcontrol.client.KafkaConnection;
import io.groundcontrol.coordinator.Coordinator;
import io.groundcontrol.coordinator.CoordinatorConfig;
import io.groundcontrol.coordinator.TopicSetup;
import io.groundcontrol.kafka.embedded.EmbeddedKafka;
import io.groundcontrol.kafka.embedded.EmbeddedKafkaException;
import io.groundcontrol.kafka.embedded.FreePorts;
import io.groundcontrol.schema.wire.TopicNames;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;

/** An embedded broker and a coordinator on one data dir: what `dev` and `demo` run. */
final class LocalStack implements AutoCloseable {
  private final Path dataDir;
  private final DataDirLock lock;
  private final EmbeddedKafka broker;
  private final Coordinator coordinator;
  private final ApiServer api;
  private final String apiKey;

  private LocalStack(
      Path dataDir, DataDirLock lock, EmbeddedKafka broker, Coordinator coordinator, ApiServer api, String apiKey) {
    this.dataDir = dataDir;
    this.lock = lock;
    this.broker = broker;
    this.coordinator = coordinator;
    this.api = api;
    this.apiKey = apiKey;
  }

  /** Starts both with the HTTP API on any free port, for {@code holder} (the command, as in {@code demo}). */
  static LocalStack start(Path dataDir, int port, int partitions, TopicNames topics, String holder) {
    return start(dataDir, port, partitions, topics, 0, holder);
  }

  /**
   * Starts both; tries {@code port} first and any free port if it is taken. The data dir stays
   * locked for {@code holder} (the command, as in {@code dev}) until {@link #close}. A command that
   * runs the data dir's broker for its own length is waited for, up to {@link DataDirWait#LIMIT}.
   *
   * @param partitions partitions of the mission topics created on first start
   * @throws DataDirException if another dev or demo runs the data dir's broker, a command still runs it
   *     after the wait, or the dir is unusable
   */
  static LocalStack start(Path dataDir, int port, int partitions, TopicNames topics, int apiPort, String holder) {
    DataDirLock lock = lock(dataDir, holder, System.err::println);
    EmbeddedKafka broker;
    try {
      broker = startBroker(dataDir, port, partitions);
    } catch (RuntimeException e) {
      lock.close();
      throw e;
    }
    ApiServer api = null;
    try {
      api = startApi(apiPort);
      CoordinatorConfig config = api.configure(
          CoordinatorConfig.defaults(broker.bootstrapServers(), DevInstance.stateDir(dataDir))
              .withTopics(topics, CoordinatorConfig.defaultApplicationId(topics)));
      Coordinator coordinator = Coordinator.start(config, new TopicSetup(partitions, (short) 1), Duration.ofSeconds(60));
      api.attach(coordinator);
      String key = LocalApiKey.ensure(dataDir, KafkaConnection.plaintext(broker.bootstrapServers()), topics, api);
      DevInstance.announce(dataDir, broker.bootstrapServers(), topics, api.baseUrl());
      return new LocalStack(dataDir, lock, broker, coordinator, api, key);
    } catch (RuntimeException e) {
      if (api != null) {
        api.close();
      }
      broker.close();
      lock.close();
      throw e;
    }
  }

  /**
   * The data dir's lock for {@code holder}, after waiting for a command that runs the dir's broker
   * (not for another dev or demo); {@code note} gets one line when the wait begins.
   */
  static DataDirLock lock(Path dataDir, String holder, Consumer<String> note) {
    return DataDirWait.whileHeld(dataDir, DataDirWait.LIMIT, other -> !other.servesOthers(), note,
        () -> DataDirLock.acquire(dataDir, holder));
  }

  /**
   * The API on {@code port}, or on any free port if that one is taken, saying so on stderr. A taken
   * port is found by a probe first, so the web server does not log its own failure to start as an
   * error; one taken between the probe and the start falls back the same way.
   */
  private static ApiServer startApi(int port) {
    if (port != 0 && FreePorts.taken(port)) {
      return startApiOnAnyPort(port);
    }
    try {
      return ApiServer.start(ApiServer.Settings.local(port));
    } catch (RuntimeException e) {
      if (port == 0) {
        throw e;
      }
      return startApiOnAnyPort(port);
    }
  }

  private static ApiServer startApiOnAnyPort(int taken) {
    System.err.println("Port " + taken + " is in use: the HTTP API and web UI listen on a free port instead (below)");
    return ApiServer.start(ApiServer.Settings.local(0));
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
    lock.close();
  }
}
