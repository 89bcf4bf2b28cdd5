package io.groundcontrol.cli;

import io.groundcontrol.api.ApiServer;
import io.groundcontrol.apikey.Role;
import io.groundcontrol.client.ApiKeyRegistry;
import io.groundcontrol.client.KafkaConnection;
import io.groundcontrol.schema.wire.TopicNames;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;

/**
 * The admin key of a local installation (`dev`, `demo`), kept in the data dir's {@code api-key}
 * file (owner read/write only) so the CLI on the same data dir can call the API, like a
 * kubeconfig. The servers still store only its hash; a revoked or unknown key is replaced.
 */
final class LocalApiKey {
  private static final String FILE = "api-key";
  private static final long WAIT_MS = 15_000;

  private LocalApiKey() {}

  /** The data dir's key, made (and waited for until {@code api} accepts it) if it has none that works. */
  static String ensure(Path dataDir, KafkaConnection kafka, TopicNames topics, ApiServer api) {
    Optional<String> kept = read(dataDir);
    if (kept.isPresent() && api.accepts(kept.get())) {
      return kept.get();
    }
    String key;
    try (ApiKeyRegistry registry = new ApiKeyRegistry(kafka, topics, Clock.systemUTC())) {
      key = registry.create("local", Role.ADMIN);
    }
    write(dataDir, key);
    long deadline = System.currentTimeMillis() + WAIT_MS;
    while (!api.accepts(key) && System.currentTimeMillis() < deadline) {
      LockSupport.parkNanos(50_000_000L);
    }
    return key;
  }

  /** The key kept in {@code dataDir}, if any. */
  static Optional<String> read(Path dataDir) {
    Path file = dataDir.resolve(FILE);
    try {
      return Files.isRegularFile(file) ? Optional.of(Files.readString(file).trim()) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static void write(Path dataDir, String key) {
    Path file = dataDir.resolve(FILE);
    try {
      Files.deleteIfExists(file);
      Files.createFile(file);
      try {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException e) {
        // not a POSIX file system: the directory's own protection applies
      }
      Files.writeString(file, key + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException("Could not write the API key to " + file, e);
    }
  }
}
