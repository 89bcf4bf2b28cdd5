package io.groundcontrol.cli;

import io.groundcontrol.api.ApiServer;
import io.groundcontrol.apikey.Role;
import io.groundcontrol.client.ApiKeyRegistry;
import io.groundcontrol.client.KafkaConnection;
import io.groundcontrol.schema.ApiKey;
import io.groundcontrol.schema.wire.TopicNames;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.Collection;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;

/**
 * The admin key of a local installation (`dev`, `demo`), kept in the data dir's {@code api-key}
 * file (owner read/write only) so the CLI on the same data dir can call the API, like a
 * kubeconfig. The servers still store only its hash; a revoked or unknown key is replaced by a
 * new one named {@code local}, or {@code local-2}, {@code local-3}... once that name is taken.
 */
final class LocalApiKey {
  private static final String FILE = "api-key";
  private static final String NAME = "local";
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
      key = registry.create(freeName(registry.readAll().values()), Role.ADMIN);
    }
    write(dataDir, key);
    long deadline = System.currentTimeMillis() + WAIT_MS;
    while (!api.accepts(key) && System.currentTimeMillis() < deadline) {
      LockSupport.parkNanos(50_000_000L);
    }
    return key;
  }

  /**
   * {@code local}, or {@code local-2}, {@code local-3}... if a key had it: key names are unique,
   * so that the audit log tells the replaced key's actions from its replacement's.
   */
  static String freeName(Collection<ApiKey> keys) {
    String name = NAME;
    for (int n = 2; ApiKeyRegistry.holder(keys, name).isPresent(); n++) {
      name = NAME + "-" + n;
    }
    return name;
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

  /**
   * Writes the key to a new file that is owner-only from its creation, then moves it into place:
   * created and then restricted, another local user could open it in between and read the key
   * once written.
   */
  static void write(Path dataDir, String key) {
    Path file = dataDir.resolve(FILE);
    Path temporary = null;
    try {
      temporary = ownerOnly(dataDir);
      Files.writeString(temporary, key + "\n");
      Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("Could not write the API key to " + file, e);
    } finally {
      if (temporary != null) {
        try {
          Files.deleteIfExists(temporary);
        } catch (IOException ignored) {
          // moved into place, or the write failed and said so
        }
      }
    }
  }

  private static Path ownerOnly(Path dataDir) throws IOException {
    try {
      return Files.createTempFile(dataDir, FILE, ".tmp",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system: the directory's own protection applies
      return Files.createTempFile(dataDir, FILE, ".tmp");
    }
  }
}
