package io.groundcontrol.cli;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Exclusive use of a data dir's embedded broker. Whoever starts the broker holds this lock for the
 * broker's life, so a second process (or a second start in this one) on the same dir is refused
 * instead of opening the same Kafka log twice, which corrupts it. The operating system releases
 * the lock when the holder dies, so a crash never leaves the dir locked.
 */
final class DataDirLock implements AutoCloseable {
  private static final String FILE = "broker.lock";

  private final FileChannel channel;
  private final FileLock lock;

  private DataDirLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Takes the lock on {@code dataDir} (creating the dir) for {@code holder}, a command name such as
   * {@code dev}, which a refused process names.
   *
   * @throws DataDirException if another holder has it, naming its pid and command, or the dir is unusable
   */
  static DataDirLock acquire(Path dataDir, String holder) {
    Path file = dataDir.resolve(FILE);
    FileChannel channel = null;
    try {
      Files.createDirectories(dataDir);
      channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
      FileLock lock = tryLock(channel);
      if (lock == null) {
        channel.close();
        throw new DataDirException(inUse(dataDir, Files.readString(file, StandardCharsets.UTF_8)));
      }
      channel.truncate(0);
      channel.write(StandardCharsets.UTF_8.encode(ProcessHandle.current().pid() + " " + holder));
      channel.force(false);
      return new DataDirLock(channel, lock);
    } catch (IOException e) {
      closeQuietly(channel);
      throw new DataDirException("Could not lock data dir " + dataDir, e);
    }
  }

  /** Null when another process holds the lock, or this JVM does (where the JDK throws instead). */
  private static FileLock tryLock(FileChannel channel) throws IOException {
    try {
      return channel.tryLock();
    } catch (OverlappingFileLockException e) {
      return null;
    }
  }

  /** The refusal, from what the holder wrote: "PID COMMAND" (empty if it is still writing). */
  static String inUse(Path dataDir, String written) {
    String[] parts = written.strip().split(" ", 2);
    String who = parts.length == 2 ? "Groundcontrol " + parts[1] : "Groundcontrol command";
    String pid = parts.length == 2 ? " (pid " + parts[0] + ")" : "";
    return "a " + who + " already runs on " + dataDir.toAbsolutePath() + pid
        + "; stop it first or use another --data-dir (other commands use a running dev's broker once it is ready)";
  }

  private static void closeQuietly(FileChannel channel) {
    if (channel == null) {
      return;
    }
    try {
      channel.close();
    } catch (IOException e) {
      // Nothing held yet: closing only frees the descriptor.
    }
  }

  /** Releases the lock; the lock file stays, since deleting it would race a process about to lock it. */
  @Override
  public void close() {
    try {
      lock.release();
      channel.close();
    } catch (IOException e) {
      // The lock dies with the channel or the process anyway.
    }
  }
}
