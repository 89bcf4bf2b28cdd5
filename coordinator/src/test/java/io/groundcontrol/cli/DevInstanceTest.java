package io.groundcontrol.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.schema.wire.TopicNames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DevInstanceTest {
  @TempDir Path dataDir;

  private Path marker(String pid) throws IOException {
    return Files.writeString(dataDir.resolve("instance.properties"),
        "pid=" + pid + "\nbootstrap.servers=127.0.0.1:9092\napi.url=http://127.0.0.1:8080/api/v1\n");
  }

  private static long anotherLiveProcess() {
    return ProcessHandle.current().parent().orElseThrow().pid();
  }

  @Test
  void withdrawLeavesTheMarkerOfAnotherProcess() throws IOException {
    Path marker = marker(Long.toString(anotherLiveProcess()));

    DevInstance.withdraw(dataDir);

    assertThat(marker).exists();
    assertThat(DevInstance.running(dataDir)).contains("127.0.0.1:9092");
  }

  @Test
  void withdrawRemovesThisProcessesMarker() {
    DevInstance.announce(dataDir, "127.0.0.1:9092", TopicNames.DEFAULT, "http://127.0.0.1:8080/api/v1");

    DevInstance.withdraw(dataDir);

    assertThat(dataDir.resolve("instance.properties")).doesNotExist();
  }

  @Test
  void aMarkerWithABadPidNamesNoInstance() throws IOException {
    marker("twelve");

    assertThat(DevInstance.running(dataDir)).isEmpty();
    assertThat(DevInstance.served(dataDir)).isEmpty();
  }
}
