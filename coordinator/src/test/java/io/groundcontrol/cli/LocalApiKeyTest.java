package io.groundcontrol.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.apikey.ApiKeySecrets;
import io.groundcontrol.apikey.Role;
import io.groundcontrol.schema.ApiKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalApiKeyTest {
  @TempDir Path dataDir;

  @Test
  void aReplacedLocalKeyGetsTheFirstFreeName() {
    assertThat(LocalApiKey.freeName(List.of())).isEqualTo("local");
    assertThat(LocalApiKey.freeName(List.of(key("local"), key("local-2"), key("ci")))).isEqualTo("local-3");
  }

  private static ApiKey key(String name) {
    return ApiKeySecrets.issue(name, Role.ADMIN.stored(), Instant.parse("2026-12-01T10:00:00Z")).stored();
  }

  @Test
  void theKeyFileReplacesAnOldOneOwnerOnlyAndLeavesNothingElse() throws Exception {
    Path old = Files.writeString(dataDir.resolve("api-key"), "gc_old\n");
    Files.setPosixFilePermissions(old, PosixFilePermissions.fromString("rw-r--r--"));

    LocalApiKey.write(dataDir, "gc_new");

    Path file = dataDir.resolve("api-key");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    assertThat(LocalApiKey.read(dataDir)).hasValue("gc_new");
    try (Stream<Path> files = Files.list(dataDir)) {
      assertThat(files).containsExactly(file);
    }
  }
}
