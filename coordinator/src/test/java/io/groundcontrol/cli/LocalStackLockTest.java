package io.groundcontrol.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
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
