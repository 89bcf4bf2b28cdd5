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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The repository's {@code groundcontrol} script on a fresh clone, with stand-ins for mvn and java:
 * two invocations at once (the README's {@code ./groundcontrol dev &} and the next command) build once.
 */
class GroundcontrolScriptTest {
  @TempDir Path clone;
  private final List<Process> started = new ArrayList<>();

  /** A script that failed a test may still wait: it must not outlive it. */
  @AfterEach
  void stopScripts() {
    started.forEach(Process::destroyForcibly);
  }

  @Test
  void twoInvocationsAtOnceOnAFreshCloneRunOneBuild() throws Exception {
    Process first = start();
    Process second = null;
    try {
      assertThat(firstErrorLine(first)).startsWith("groundcontrol: building");
      second = start();
      assertThat(firstErrorLine(second)).as("the second waits instead of building too")
          .isEqualTo("groundcontrol: waiting for the build another groundcontrol runs in this tree...");
    } finally {
      Files.createFile(clone.resolve("release"));
    }

    for (Process process : new Process[] {first, second}) {
      assertRan(process);
    }
    assertThat(Files.readAllLines(clone.resolve("builds.log"))).containsExactly("start");
    assertThat(lock()).doesNotExist();
  }

  /**
   * A {@code dev} runs from the last build while the sources change: the next command runs that build
   * too, saying why, rather than rewrite the jar and lib/ under the running JVM, which then failed
   * with ZipException and NoClassDefFoundError.
   */
  @Test
  void sourcesChangedWhileAJvmRunsFromTheJarRunTheLastBuild() throws Exception {
    Files.createFile(clone.resolve("release"));
    Files.createFile(clone.resolve("hold"));
    Process dev = start(Map.of(), "hold");
    assertThat(new BufferedReader(new InputStreamReader(dev.getInputStream(), StandardCharsets.UTF_8)).readLine()).isEqualTo("ran");
    Files.setLastModifiedTime(clone.resolve("pom.xml"), FileTime.from(Instant.now().plusSeconds(60)));

    Process next = start();

    assertRan(next);
    assertThat(new String(next.getErrorStream().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(
        "groundcontrol: sources changed since the last build, but process " + dev.pid() + " runs from it and a build would "
            + "break it; running the last build (stop that process to rebuild)\n");
    assertThat(Files.readAllLines(clone.resolve("builds.log"))).containsExactly("start");
    Files.delete(clone.resolve("hold"));
    assertThat(dev.waitFor(60, TimeUnit.SECONDS)).isTrue();

    assertRan(start());
    assertThat(Files.readAllLines(clone.resolve("builds.log"))).as("built once nothing runs from the jar").containsExactly("start", "start");
  }

  /** Left by one killed between making the lock and writing its pid, as an older script could be. */
  @Test
  void aLockWithoutAPidIsTakenOver() throws Exception {
    Files.createDirectories(lock());
    Files.createFile(clone.resolve("release"));

    assertRan(start());
    assertThat(Files.readAllLines(clone.resolve("builds.log"))).containsExactly("start");
    assertThat(lock()).doesNotExist();
  }

  /** Its holder's pid reused by a process that lives on: the wait ends, naming what to remove. */
  @Test
  void aLockHeldPastTheWaitIsGivenUpOnSayingSo() throws Exception {
    Files.writeString(Files.createDirectories(lock()).resolve("pid"), ProcessHandle.current().pid() + "\n");

    Process waiting = start(Map.of("GROUNDCONTROL_BUILD_LOCK_WAIT", "1"));

    assertThat(waiting.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(waiting.exitValue()).isEqualTo(1);
    List<String> said = new String(waiting.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    assertThat(said.get(said.size() - 1)).startsWith("groundcontrol: gave up after 1s waiting for the build of process " + ProcessHandle.current().pid()
            + "; if no build runs, remove /").endsWith("/target/groundcontrol-build.lock");
    assertThat(clone.resolve("builds.log")).doesNotExist();
  }

  /**
   * A short command starts quickly: the quick compiler, the serial collector and an archive of the
   * CLI's classes, made once per build; a long-running one starts as before.
   */
  @Test
  void aShortCommandStartsFromAnArchiveMadeOncePerBuild() throws Exception {
    built();
    String jar = clone.resolve("coordinator/target/groundcontrol.jar").toString();
    String archive = clone.resolve("coordinator/target/groundcontrol.jsa").toString();
    String quick = "-Xmx1g -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto -Xlog:cds*=off";

    assertRanSilently(start(Map.of(), "mission", "list"));
    assertRanSilently(start(Map.of(), "mission", "list"));
    Files.setLastModifiedTime(Path.of(jar), FileTime.from(Instant.now().plusSeconds(60)));
    assertRanSilently(start(Map.of(), "--help"));
    assertRanSilently(start(Map.of(), "dev"));
    assertRanSilently(start(Map.of("GROUNDCONTROL_JAVA_OPTS", "-Xmx2g -XX:+UseZGC"), "plan", "validate"));

    assertThat(Files.readAllLines(clone.resolve("java.log")).stream().map(line -> line.replaceAll("\\.jsa\\.[0-9]+ ", ".jsa.PID ")))
        .as("an archive made once per build; the quick start only for short commands").containsExactly(
        quick + " -XX:ArchiveClassesAtExit=" + archive + ".PID -jar " + jar + " --help",
        quick + " -XX:SharedArchiveFile=" + archive + " -jar " + jar + " mission list",
        quick + " -XX:SharedArchiveFile=" + archive + " -jar " + jar + " mission list",
        quick + " -XX:ArchiveClassesAtExit=" + archive + ".PID -jar " + jar + " --help",
        quick + " -XX:SharedArchiveFile=" + archive + " -jar " + jar + " --help",
        "-Xmx1g -jar " + jar + " dev",
        "-Xmx2g -XX:+UseZGC -jar " + jar + " plan validate");
    assertThat(Files.list(clone.resolve("coordinator/target")).map(path -> path.getFileName().toString()))
        .as("no archive left half made").containsExactlyInAnyOrder("groundcontrol.jar", "groundcontrol.jsa");
  }

  /** A JVM that cannot make the archive: the command runs without one, saying nothing. */
  @Test
  void withoutAnArchiveAShortCommandRunsAsBefore() throws Exception {
    built();
    Files.createFile(clone.resolve("no-archive"));
    String jar = clone.resolve("coordinator/target/groundcontrol.jar").toString();

    assertRanSilently(start(Map.of(), "acl"));

    assertThat(Files.readAllLines(clone.resolve("java.log")).get(1))
        .isEqualTo("-Xmx1g -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto -Xlog:cds*=off -jar " + jar + " acl");
    assertThat(clone.resolve("coordinator/target/groundcontrol.jsa")).doesNotExist();
  }

  /** A clone built already, newer than its sources. */
  private void built() throws IOException {
    Files.createFile(clone.resolve("release"));
    Files.createFile(Files.createDirectories(clone.resolve("coordinator/target")).resolve("groundcontrol.jar"));
  }

  private static void assertRanSilently(Process process) throws Exception {
    assertRan(process);
    assertThat(new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8)).isEmpty();
  }

  /** The script on a fresh clone, with stand-ins for mvn (logs its start, holds until the test lets it finish) and java. */
  @BeforeEach
  void freshClone() throws IOException {
    Files.copy(Path.of("..", "groundcontrol"), clone.resolve("groundcontrol"));
    Files.setLastModifiedTime(Files.writeString(clone.resolve("pom.xml"), "<project/>"), FileTime.from(Instant.EPOCH));
    Path bin = Files.createDirectory(clone.resolve("bin"));
    executable(bin.resolve("mvn"), """
        #!/usr/bin/env bash
        echo start >> "$CLONE/builds.log"
        while [ ! -e "$CLONE/release" ]; do sleep 0.1; done
        mkdir -p "$CLONE/coordinator/target" && touch "$CLONE/coordinator/target/groundcontrol.jar"
        """);
    executable(bin.resolve("java"), """
        #!/usr/bin/env bash
        echo "$*" >> "$CLONE/java.log"
        for arg; do
          case "$arg" in -XX:ArchiveClassesAtExit=*) [ -e "$CLONE/no-archive" ] || echo archive > "${arg#*=}"; exit 0 ;; esac
        done
        echo ran
        if [ "${!#}" = hold ]; then while [ -e "$CLONE/hold" ]; do sleep 0.1; done; fi
        """);
  }

  private Path lock() {
    return clone.resolve("target").resolve("groundcontrol-build.lock");
  }

  private static void assertRan(Process process) throws Exception {
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isZero();
    assertThat(new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("ran\n");
  }

  private Process start() throws IOException {
    return start(Map.of());
  }

  private Process start(Map<String, String> environment, String... arguments) throws IOException {
    List<String> command = new ArrayList<>(List.of("bash", clone.resolve("groundcontrol").toString()));
    command.addAll(List.of(arguments));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().put("PATH", clone.resolve("bin") + ":" + System.getenv("PATH"));
    builder.environment().put("CLONE", clone.toString());
    builder.environment().putAll(environment);
    Process process = builder.start();
    started.add(process);
    return process;
  }

  private static String firstErrorLine(Process process) throws IOException {
    return new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8)).readLine();
  }

  private static void executable(Path file, String text) throws IOException {
    Files.writeString(file, text);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
  }
}
