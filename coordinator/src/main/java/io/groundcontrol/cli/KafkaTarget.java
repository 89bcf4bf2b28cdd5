package io.groundcontrol.cli;

import io.groundcontrol.client.KafkaConnection;
import io.groundcontrol.kafka.embedded.EmbeddedKafka;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The Kafka a command talks to. With no bootstrap servers given, a command uses the broker of a
 * `groundcontrol dev` running on the data dir, or else starts the data dir's broker itself for
 * the length of the command (so `mission show` works after `demo` has exited).
 */
final class KafkaTarget implements AutoCloseable {
  private final KafkaConnection connection;
  private final EmbeddedKafka ownBroker;
  private final DataDirLock lock;

  private KafkaTarget(KafkaConnection connection, EmbeddedKafka ownBroker, DataDirLock lock) {
    this.connection = connection;
    this.ownBroker = ownBroker;
    this.lock = lock;
  }

  /**
   * An external cluster when bootstrap servers or Kafka client settings are given (the settings
   * apply to every client), else the data dir's plaintext local broker. While another process has
   * the data dir's broker but has not announced it (a dev still starting, or another command that
   * started it), waits up to {@link DataDirWait#LIMIT}, saying so in one line on stderr.
   *
   * @throws DataDirException if that process still has it after the wait
   */
  static KafkaTarget connect(String bootstrapServers, Path dataDir, KafkaClientOptions kafka) {
    return connect(bootstrapServers, dataDir, kafka, DataDirWait.LIMIT, System.err::println);
  }

  /** As {@link #connect(String, Path, KafkaClientOptions)}, waiting up to {@code wait}; {@code note} gets the line. */
  static KafkaTarget connect(String bootstrapServers, Path dataDir, KafkaClientOptions kafka, Duration wait,
      Consumer<String> note) {
    if (bootstrapServers != null && !bootstrapServers.isBlank() || kafka.given()) {
      return new KafkaTarget(kafka.connection(bootstrapServers), null, null);
    }
    return DataDirWait.whileHeld(dataDir, wait, holder -> true, note, () -> local(dataDir));
  }

  private static KafkaTarget local(Path dataDir) {
    Optional<String> dev = DevInstance.running(dataDir);
    if (dev.isPresent()) {
      return new KafkaTarget(KafkaConnection.plaintext(dev.get()), null, null);
    }
    DataDirLock lock;
    try {
      lock = DataDirLock.acquire(dataDir, "command");
    } catch (DataDirException inUse) {
      // A dev that announced itself between the two looks holds the lock for good reason.
      dev = DevInstance.running(dataDir);
      if (dev.isPresent()) {
        return new KafkaTarget(KafkaConnection.plaintext(dev.get()), null, null);
      }
      throw inUse;
    }
    try {
      EmbeddedKafka broker = EmbeddedKafka.builder().dataDir(DevInstance.brokerDir(dataDir)).build().start();
      return new KafkaTarget(KafkaConnection.plaintext(broker.bootstrapServers()), broker, lock);
    } catch (RuntimeException e) {
      lock.close();
      throw e;
    }
  }

  /** The cluster and its client settings: give it to every client the command creates. */
  KafkaConnection connection() {
    return connection;
  }

  String bootstrapServers() {
    return connection.bootstrapServers();
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
      lock.close();
    }
  }
}
