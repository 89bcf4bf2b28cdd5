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
        Holder other = Holder.parse(Files.readString(file, StandardCharsets.UTF_8));
        throw new DataDirException(other.inUse(dataDir), other);
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
    return Holder.parse(written).inUse(dataDir);
  }

  /**
   * The process that has a data dir's lock, from what it wrote.
   *
   * @param pid its process id, or empty if it is still writing it
   * @param command the command that holds it: {@code dev}, {@code demo}, or {@code command} (any other)
   */
  record Holder(String pid, String command) {
    static Holder parse(String written) {
      String[] parts = written.strip().split(" ", 2);
      return parts.length == 2 ? new Holder(parts[0], parts[1]) : new Holder("", "command");
    }

    /** Whether it is a dev or demo, which runs the broker until stopped and announces it once ready. */
    boolean servesOthers() {
      return command.equals("dev") || command.equals("demo");
    }

    /** "a Groundcontrol dev ... on DIR (pid N)": {@code verb} as in "already runs". */
    String describe(String verb, Path dataDir) {
      return "a Groundcontrol " + command + " " + verb + " on " + dataDir.toAbsolutePath()
          + (pid.isEmpty() ? "" : " (pid " + pid + ")");
    }

    String inUse(Path dataDir) {
      return describe("already runs", dataDir)
          + "; stop it first or use another --data-dir (other commands use a running dev's broker once it is ready)";
    }
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

  /**
   * Releases the lock; the lock file stays, since deleting it would race a process about to lock it.
   * It is emptied first: the next holder writes its pid only after locking, and a process refused in
   * between would otherwise take this holder for it (a dev since stopped for one running).
   */
  @Override
  public void close() {
    try {
      channel.truncate(0);
      lock.release();
      channel.close();
    } catch (IOException e) {
      // The lock dies with the channel or the process anyway.
    }
  }
}
