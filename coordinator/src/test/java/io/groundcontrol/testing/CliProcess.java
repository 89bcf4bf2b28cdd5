package io.groundcontrol.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code groundcontrol} CLI in a child JVM, for tests that must kill a process uncleanly
 * (SIGKILL: no shutdown hook, no flush, no commit).
 */
public final class CliProcess implements AutoCloseable {
  private final Process process;
  private final Path output;

  private CliProcess(Process process, Path output) {
    this.process = process;
    this.output = output;
  }

  /** Starts {@code groundcontrol ARGS...} on this JVM's classpath. */
  public static CliProcess start(String... args) {
    try {
      Path output = Files.createTempFile("groundcontrol-child-", ".log");
      List<String> command = new ArrayList<>(List.of(
          Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-Xmx384m", "-cp", System.getProperty("java.class.path"), "io.groundcontrol.cli.GroundcontrolCli"));
      command.addAll(List.of(args));
      Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
      return new CliProcess(process, output);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Waits until the child prints {@code text}.
   *
   * @throws AssertionError with the child's output if it does not within {@code timeout} or exits
   */
  public void awaitOutput(String text, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (output().contains(text)) {
        return;
      }
      if (!process.isAlive()) {
        throw new AssertionError("Child exited with " + process.exitValue() + " before printing '" + text + "':\n" + output());
      }
      try {
        process.waitFor(50, java.util.concurrent.TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
    throw new AssertionError("Child did not print '" + text + "' within " + timeout + ":\n" + output());
  }

  /** Everything the child printed so far. */
  public String output() {
    try {
      return Files.readString(output);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Waits until the child exits by itself.
   *
   * @return its exit code
   * @throws AssertionError with the child's output if it still runs after {@code timeout}
   */
  public int awaitExit(Duration timeout) {
    try {
      if (!process.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
        throw new AssertionError("Child still runs after " + timeout + ":\n" + output());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
    return process.exitValue();
  }

  /** Kills the child with SIGKILL and waits until it is gone. */
  public void kill() {
    process.destroyForcibly();
    try {
      process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    kill();
  }
}
