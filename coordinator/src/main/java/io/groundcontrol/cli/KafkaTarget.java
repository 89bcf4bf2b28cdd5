package io.groundcontrol.cli;

import io.groundcontrol.kafka.embedded.EmbeddedKafka;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The Kafka a command talks to. With no bootstrap servers given, a command uses the broker of a
 * `groundcontrol dev` running on the data dir, or else starts the data dir's broker itself for
 * the length of the command (so `mission show` works after `demo` has exited).
 */
final class KafkaTarget implements AutoCloseable {
  private final String bootstrapServers;
  private final EmbeddedKafka ownBroker;

  private KafkaTarget(String bootstrapServers, EmbeddedKafka ownBroker) {
    this.bootstrapServers = bootstrapServers;
    this.ownBroker = ownBroker;
  }

  static KafkaTarget connect(String bootstrapServers, Path dataDir) {
    if (bootstrapServers != null && !bootstrapServers.isBlank()) {
      return new KafkaTarget(bootstrapServers, null);
    }
    Optional<String> dev = DevInstance.running(dataDir);
    if (dev.isPresent()) {
      return new KafkaTarget(dev.get(), null);
    }
    EmbeddedKafka broker = EmbeddedKafka.builder().dataDir(DevInstance.brokerDir(dataDir)).build().start();
    return new KafkaTarget(broker.bootstrapServers(), broker);
  }

  String bootstrapServers() {
    return bootstrapServers;
  }

  /**
   * Whether a coordinator may be answering: false when this command started the broker itself,
   * because then nothing else runs on it.
   */
  boolean coordinatorMayRun() {
    return ownBroker == null;
  }

  @Override
  public void close() {
    if (ownBroker != null) {
      ownBroker.close();
    }
  }
}
