package io.groundcontrol.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Waits a bounded time while another process holds a data dir for a moment: a dev or demo still
 * starting, until it announces its broker, or a command that runs the broker for its own length.
 * So `groundcontrol dev &` followed at once by other commands works, in either order of locking.
 */
final class DataDirWait {
  /** How long a command waits before it gives up with one line. */
  static final Duration LIMIT = Duration.ofSeconds(60);
  private static final long POLL_MS = 200;

  private DataDirWait() {}

  /**
   * Tries {@code look} until it returns, waiting while it is refused by a holder {@code worthWaiting}
   * accepts, for up to {@code limit}; {@code note} gets one line when the wait begins.
   *
   * @throws DataDirException at once if the holder is not worth waiting for or the dir is unusable,
   *     or naming the holder once {@code limit} has passed
   */
  static <T> T whileHeld(Path dataDir, Duration limit, Predicate<DataDirLock.Holder> worthWaiting,
      Consumer<String> note, Supplier<T> look) {
    long deadline = System.nanoTime() + limit.toNanos();
    boolean noted = false;
    while (true) {
      DataDirException refused;
      try {
        return look.get();
      } catch (DataDirException e) {
        refused = e;
      }
      DataDirLock.Holder holder = refused.holder().filter(worthWaiting).orElseThrow(() -> refused);
      if (System.nanoTime() - deadline >= 0) {
        throw new DataDirException(stillHeld(dataDir, holder, limit), holder);
      }
      if (!noted) {
        note.accept("Waiting up to " + limit.toSeconds() + "s for " + (holder.servesOthers()
            ? holder.describe("starting", dataDir) + " to be ready"
            : holder.describe("running the data dir's broker", dataDir) + " to end"));
        noted = true;
      }
      try {
        Thread.sleep(POLL_MS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw refused;
      }
    }
  }

  private static String stillHeld(Path dataDir, DataDirLock.Holder holder, Duration limit) {
    if (holder.servesOthers()) {
      return holder.describe("is starting", dataDir) + " and was not ready within " + limit.toSeconds()
          + "s; run the command again once it prints its addresses, or use another --data-dir";
    }
    return holder.describe("runs the data dir's broker", dataDir) + " and did not end within " + limit.toSeconds()
        + "s; run this after it, keep a `groundcontrol dev` running there for commands to share, or use another "
        + "--data-dir";
  }
}
