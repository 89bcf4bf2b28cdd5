package io.groundcontrol.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
    try (DataDirLock dev = DataDirLock.acquire(dataDir, "dev")) {
      assertThatThrownBy(() -> KafkaTarget.connect(null, dataDir, new KafkaClientOptions()))
          .isInstanceOf(DataDirException.class)
          .hasMessageStartingWith("a Groundcontrol dev already runs on ");
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
