package io.groundcontrol.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How `dev` and `demo` take a data dir's lock (LocalStack): they wait for a command, never for another dev. */
class LocalStackLockTest {
  @TempDir Path dataDir;

  private DataDirLock devLock(java.util.function.Consumer<String> note) {
    return LocalStack.lock(dataDir, "dev", note);
  }

  @Test
  void aDevWaitsForACommandThatRunsTheBrokerAndThenTakesIt() throws Exception {
    List<String> notes = new CopyOnWriteArrayList<>();
    CountDownLatch waiting = new CountDownLatch(1);
    CompletableFuture<DataDirLock> dev;
    try (DataDirLock command = DataDirLock.acquire(dataDir, "command")) {
      dev = CompletableFuture.supplyAsync(() -> devLock(note -> {
        notes.add(note);
        waiting.countDown();
      }));
      assertThat(waiting.await(30, TimeUnit.SECONDS)).as("the dev waits for the command").isTrue();
    }

    dev.get(30, TimeUnit.SECONDS).close();
    assertThat(notes).containsExactly("Waiting up to 60s for a Groundcontrol command running the data dir's broker on "
        + dataDir.toAbsolutePath() + " (pid " + ProcessHandle.current().pid() + ") to end");
  }

  /**
   * A command that has just taken the lock has not yet written its pid over what the last holder, a
   * dev since stopped, wrote: a dev must not take that for a dev running now.
   */
  @Test
  void aDevWaitsForACommandThatHasNotYetWrittenItsPidOverAStoppedDevs() throws Exception {
    devLock(note -> { }).close();
    CompletableFuture<String> noted = new CompletableFuture<>();
    CompletableFuture<DataDirLock> dev;
    try (FileChannel channel = FileChannel.open(dataDir.resolve("broker.lock"), StandardOpenOption.WRITE);
        FileLock unwritten = channel.lock()) {
      dev = CompletableFuture.supplyAsync(() -> devLock(noted::complete));
      CompletableFuture.anyOf(noted, dev).exceptionally(e -> null).get(30, TimeUnit.SECONDS);
      assertThat(noted).as("the dev waits for the command, but: %s", dev).isDone();
    }

    dev.get(30, TimeUnit.SECONDS).close();
    assertThat(noted.get()).startsWith("Waiting up to 60s for a Groundcontrol command running the data dir's broker");
  }

  @Test
  void aSecondDevIsRefusedAtOnce() {
    List<String> notes = new CopyOnWriteArrayList<>();
    try (DataDirLock first = DataDirLock.acquire(dataDir, "dev")) {
      assertThatThrownBy(() -> devLock(notes::add))
          .isInstanceOf(DataDirException.class)
          .hasMessageStartingWith("a Groundcontrol dev already runs on " + dataDir.toAbsolutePath());
    }
    assertThat(notes).isEmpty();
  }
}
