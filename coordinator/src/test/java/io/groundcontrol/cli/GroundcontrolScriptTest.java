package io.groundcontrol.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The repository's {@code groundcontrol} script on a fresh clone, with stand-ins for mvn and java:
 * two invocations at once (the README's {@code ./groundcontrol dev &} and the next command) build once.
 */
class GroundcontrolScriptTest {
  @TempDir Path clone;

  @Test
  void twoInvocationsAtOnceOnAFreshCloneRunOneBuild() throws Exception {
    Path script = Files.copy(Path.of("..", "groundcontrol"), clone.resolve("groundcontrol"));
    Files.setLastModifiedTime(Files.writeString(clone.resolve("pom.xml"), "<project/>"), FileTime.from(Instant.EPOCH));
    Path bin = Files.createDirectory(clone.resolve("bin"));
    // The build stand-in logs its start and holds until the test lets it finish.
    executable(bin.resolve("mvn"), """
        #!/usr/bin/env bash
        echo start >> "$CLONE/builds.log"
        while [ ! -e "$CLONE/release" ]; do sleep 0.1; done
        mkdir -p "$CLONE/coordinator/target" && touch "$CLONE/coordinator/target/groundcontrol.jar"
        """);
    executable(bin.resolve("java"), "#!/usr/bin/env bash\necho ran\n");

    Process first = start(script, bin);
    Process second = null;
    try {
      assertThat(firstErrorLine(first)).startsWith("groundcontrol: building");
      second = start(script, bin);
      assertThat(firstErrorLine(second)).as("the second waits instead of building too")
          .isEqualTo("groundcontrol: waiting for the build another groundcontrol runs in this tree...");
    } finally {
      Files.createFile(clone.resolve("release"));
    }

    for (Process process : new Process[] {first, second}) {
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(process.exitValue()).isZero();
      assertThat(new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("ran\n");
    }
    assertThat(Files.readAllLines(clone.resolve("builds.log"))).containsExactly("start");
    assertThat(clone.resolve("target").resolve("groundcontrol-build.lock")).doesNotExist();
  }

  private Process start(Path script, Path bin) throws IOException {
    ProcessBuilder builder = new ProcessBuilder("bash", script.toString());
    builder.environment().put("PATH", bin + ":" + System.getenv("PATH"));
    builder.environment().put("CLONE", clone.toString());
    return builder.start();
  }

  private static String firstErrorLine(Process process) throws IOException {
    return new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8)).readLine();
  }

  private static void executable(Path file, String text) throws IOException {
    Files.writeString(file, text);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
  }
}
