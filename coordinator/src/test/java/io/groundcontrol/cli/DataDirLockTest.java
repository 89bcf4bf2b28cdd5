package io.groundcontrol.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataDirLockTest {
  @TempDir Path dataDir;

  @Test
  void aSecondHolderInThisProcessIsRefusedUntilTheFirstLetsGo() {
    try (DataDirLock first = DataDirLock.acquire(dataDir, "dev")) {
      assertThatThrownBy(() -> DataDirLock.acquire(dataDir, "demo"))
          .isInstanceOf(DataDirException.class)
          .hasMessage("a Groundcontrol dev already runs on " + dataDir.toAbsolutePath() + " (pid "
              + ProcessHandle.current().pid() + "); stop it first or use another --data-dir (other commands use a "
              + "running dev's broker once it is ready)");
    }
    DataDirLock.acquire(dataDir, "demo").close();
  }

  @Test
  void aHolderInAnotherProcessIsNamedByItsPid() throws Exception {
    Process holder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), DataDirLockHolder.class.getName(), dataDir.toString())
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
      assertThat(out.readLine()).isEqualTo("locked");

      assertThatThrownBy(() -> DataDirLock.acquire(dataDir, "demo"))
          .isInstanceOf(DataDirException.class)
          .hasMessageStartingWith("a Groundcontrol dev already runs on " + dataDir.toAbsolutePath()
              + " (pid " + holder.pid() + ")");
    } finally {
      holder.getOutputStream().close();
      holder.waitFor();
    }
    DataDirLock.acquire(dataDir, "demo").close();
  }

  @Test
  void aCommandDoesNotStartASecondBrokerOnADataDirAnotherHolderHasNotAnnounced() {
    List<String> notes = new ArrayList<>();
    try (DataDirLock dev = DataDirLock.acquire(dataDir, "dev")) {
      assertThatThrownBy(() -> KafkaTarget.connect(null, dataDir, new KafkaClientOptions(), Duration.ZERO, notes::add))
          .isInstanceOf(DataDirException.class)
          .hasMessage("a Groundcontrol dev is starting on " + dataDir.toAbsolutePath() + " (pid "
              + ProcessHandle.current().pid() + ") and was not ready within 0s; run the command again once it prints "
              + "its addresses, or use another --data-dir");
    }
    assertThat(notes).isEmpty();
  }

  /** The README's `groundcontrol dev &` followed at once by `plan apply`. */
  @Test
  void aCommandWaitsForADevThatIsStartingAndThenUsesItsBroker() throws Exception {
    List<String> notes = new CopyOnWriteArrayList<>();
    CountDownLatch waiting = new CountDownLatch(1);
    try (DataDirLock dev = DataDirLock.acquire(dataDir, "dev")) {
      CompletableFuture<KafkaTarget> command = CompletableFuture.supplyAsync(() -> KafkaTarget.connect(
          null, dataDir, new KafkaClientOptions(), Duration.ofSeconds(60), note -> {
            notes.add(note);
            waiting.countDown();
          }));
      assertThat(waiting.await(30, TimeUnit.SECONDS)).as("the command waits for the dev").isTrue();
      announceFromAnotherProcess("127.0.0.1:19092");

      try (KafkaTarget target = command.get(30, TimeUnit.SECONDS)) {
        assertThat(target.bootstrapServers()).isEqualTo("127.0.0.1:19092");
        assertThat(target.coordinatorMayRun()).isTrue();
      }
    }
    assertThat(notes).containsExactly("Waiting up to 60s for a Groundcontrol dev starting on " + dataDir.toAbsolutePath()
        + " (pid " + ProcessHandle.current().pid() + ") to be ready");
  }

  /** The marker a dev in another process writes once ready: this process's parent stands in for it. */
  private void announceFromAnotherProcess(String bootstrapServers) throws IOException {
    Properties props = new Properties();
    props.setProperty("pid", Long.toString(ProcessHandle.current().parent().orElseThrow().pid()));
    props.setProperty("bootstrap.servers", bootstrapServers);
    props.setProperty("api.url", "http://127.0.0.1:1/api/v1");
    try (var out = Files.newOutputStream(dataDir.resolve("instance.properties"))) {
      props.store(out, null);
    }
  }

  @Test
  void aDataDirThatIsAFileIsOneLine() throws IOException {
    Path file = Files.createFile(dataDir.resolve("plain"));

    assertThatThrownBy(() -> DataDirLock.acquire(file, "dev"))
        .isInstanceOf(DataDirException.class)
        .hasMessage("Could not lock data dir " + file + ": a file is in the way");
  }

  @Test
  void anUnfinishedLockFileNamesNoPid() {
    assertThat(DataDirLock.inUse(Path.of("/d"), "")).startsWith("a Groundcontrol command already runs on /d; ");
  }
}
