package io.groundcontrol.testing;

import io.groundcontrol.chaos.ChildJvm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The {@code groundcontrol} CLI in a child JVM, for tests that must kill a process uncleanly
 * (SIGKILL: no shutdown hook, no flush, no commit).
 */
public final class CliProcess implements AutoCloseable {
  /**
   * How long a child may take to say it runs: a coordinator's start took 10-17 s alone on two cores
   * and 30-45 s with a second test JVM busy beside it, before children compiled with C1 only.
   */
  public static final Duration START = Duration.ofSeconds(120);

  /**
   * Children compile with C1 only. A test's child lives seconds to a minute, too short for C2's
   * compiling to pay back: a coordinator starts on 6.6-7.3 s of CPU instead of 10.6-12.1, and
   * {@code AdmissionIT}'s 2,000 capped missions over two such children ran in 20 s instead of 30.
   * {@code ChaosIT} gives them to its children too.
   */
  public static final List<String> JVM_OPTIONS = List.of("-XX:TieredStopAtLevel=1");

  private final ChildJvm child;

  private CliProcess(ChildJvm child) {
    this.child = child;
  }

  /** Starts {@code groundcontrol ARGS...} on this JVM's classpath. */
  public static CliProcess start(String... args) {
    try {
      Path output = Files.createTempFile("groundcontrol-child-", ".log");
      return new CliProcess(ChildJvm.start("child " + args[0], "384m", JVM_OPTIONS, output, args));
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
    try {
      child.awaitOutput(Pattern.compile(Pattern.quote(text)), timeout);
    } catch (IllegalStateException e) {
      throw new AssertionError(e.getMessage(), e);
    }
  }

  /** Everything the child printed so far. */
  public String output() {
    return child.output();
  }

  /**
   * The lines the child logged at ERROR so far. A coordinator logs and skips an unexpected error in
   * one record or scheduled step, so a test that must not have hit one asks for these.
   */
  public List<String> loggedErrors() {
    return output().lines().filter(line -> line.contains(" ERROR ")).toList();
  }

  /**
   * Waits until the child exits by itself.
   *
   * @return its exit code
   * @throws AssertionError with the child's output if it still runs after {@code timeout}
   */
  public int awaitExit(Duration timeout) {
    return child.awaitExit(timeout)
        .orElseThrow(() -> new AssertionError("Child still runs after " + timeout + ":\n" + output()));
  }

  /** Kills the child with SIGKILL and waits until it is gone. */
  public void kill() {
    child.kill();
  }

  @Override
  public void close() {
    kill();
  }
}
