package io.groundcontrol.cli;

import io.groundcontrol.schema.wire.TopicNames;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;

/**
 * The marker a running `dev` or `demo` leaves in its data dir: its process id, bootstrap address,
 * topic prefix and API, so other commands on the same data dir use its broker instead of starting
 * one, and its API when they read what it runs.
 */
final class DevInstance {
  private static final String FILE = "instance.properties";

  /**
   * What a live instance serves.
   *
   * @param topicPrefix null in the marker of an instance older than this field
   */
  record Served(String bootstrapServers, String topicPrefix, String apiUrl) {}

  private DevInstance() {}

  static Path brokerDir(Path dataDir) {
    return dataDir.resolve("kafka");
  }

  static Path stateDir(Path dataDir) {
    return dataDir.resolve("coordinator");
  }

  /**
   * Records that this process serves {@code bootstrapServers}, with the topics of {@code topics},
   * and the API at {@code apiUrl} from {@code dataDir}.
   */
  static void announce(Path dataDir, String bootstrapServers, TopicNames topics, String apiUrl) {
    Properties props = new Properties();
    props.setProperty("pid", Long.toString(ProcessHandle.current().pid()));
    props.setProperty("bootstrap.servers", bootstrapServers);
    props.setProperty("topic.prefix", topics.prefix());
    props.setProperty("api.url", apiUrl);
    try (var out = Files.newOutputStream(dataDir.resolve(FILE))) {
      props.store(out, "groundcontrol instance on this data dir");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Removes this process's marker; a marker another process wrote stays. */
  static void withdraw(Path dataDir) {
    if (read(dataDir).filter(DevInstance::isThisProcess).isEmpty()) {
      return;
    }
    try {
      Files.deleteIfExists(dataDir.resolve(FILE));
    } catch (IOException e) {
      // Harmless: a stale marker names a dead process and is ignored.
    }
  }

  /** The bootstrap address of a live instance on {@code dataDir}, if there is one. */
  static Optional<String> running(Path dataDir) {
    return live(dataDir).map(props -> props.getProperty("bootstrap.servers"));
  }

  /** What a live instance on {@code dataDir} serves, if there is one (this process included). */
  static Optional<Served> served(Path dataDir) {
    return read(dataDir).filter(DevInstance::alive).map(props -> new Served(props.getProperty("bootstrap.servers"),
        props.getProperty("topic.prefix"), props.getProperty("api.url")));
  }

  private static Optional<Properties> live(Path dataDir) {
    return read(dataDir).filter(props -> alive(props) && !isThisProcess(props));
  }

  private static boolean isThisProcess(Properties props) {
    return pid(props) == ProcessHandle.current().pid();
  }

  private static boolean alive(Properties props) {
    return ProcessHandle.of(pid(props)).map(ProcessHandle::isAlive).orElse(false);
  }

  /** The marker's pid, or -1 (no process) if it is missing or not a number, as in a hand-edited file. */
  private static long pid(Properties props) {
    try {
      return Long.parseLong(props.getProperty("pid", "-1").strip());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static Optional<Properties> read(Path dataDir) {
    Path file = dataDir.resolve(FILE);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    Properties props = new Properties();
    try (var in = Files.newInputStream(file)) {
      props.load(in);
    } catch (IOException e) {
      return Optional.empty();
    }
    return Optional.of(props);
  }
}
