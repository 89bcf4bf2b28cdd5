package io.groundcontrol.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

/**
 * Temporary directories for state dirs of coordinators a test starts, deleted when the test JVM
 * exits. A coordinator's state dir takes about 250 MB (RocksDB preallocates each store's log), and a
 * SIGKILLed child never cleans up after itself: without this a dev machine's disk filled after a
 * day of test runs.
 */
public final class TestDirs {
  private static final List<Path> CREATED = new CopyOnWriteArrayList<>();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> CREATED.forEach(TestDirs::deleteQuietly), "test-dirs-cleanup"));
  }

  private TestDirs() {}

  /** A new empty directory under the system's temporary directory, deleted with its content at JVM exit. */
  public static Path create(String prefix) {
    try {
      Path dir = Files.createTempDirectory(prefix);
      CREATED.add(dir);
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void deleteQuietly(Path dir) {
    try {
      deleteRecursively(dir);
    } catch (IOException | UncheckedIOException e) {
      // Best effort at exit: a file still held open elsewhere is left behind.
    }
  }

  /** Deletes {@code dir} and everything under it; nothing if it does not exist. */
  static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
