package io.groundcontrol.chaos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code groundcontrol} command in a child JVM on this JVM's classpath, so that it can be killed
 * the hard way (SIGKILL: no shutdown hook, no flush, no commit), its output in a file.
 */
public final class ChildJvm implements AutoCloseable {
  /** What {@code groundcontrol broker} prints once it serves, its bootstrap address in group 1. */
  private static final Pattern BROKER_READY = Pattern.compile("Kafka ready at (\\S+)");

  private final String name;
  private final Process process;
  private final Path output;

  private ChildJvm(String name, Process process, Path output) {
    this.name = name;
    this.process = process;
    this.output = output;
  }

  /**
   * Starts {@code groundcontrol ARGS...}.
   *
   * @param name what the child is, for messages
   * @param heap the child's maximum heap, e.g. {@code 384m}
   * @param output where its output goes (appended)
   */
  public static ChildJvm start(String name, String heap, Path output, String... args) {
    return start(name, heap, List.of(), output, args);
  }

  /** Starts {@code groundcontrol ARGS...} with further JVM options, such as a collector. */
  public static ChildJvm start(String name, String heap, List<String> jvmOptions, Path output, String... args) {
    try {
      List<String> command = new ArrayList<>(List.of(
          Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx" + heap));
      command.addAll(jvmOptions);
      command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.groundcontrol.cli.GroundcontrolCli"));
      command.addAll(List.of(args));
      Files.createDirectories(output.toAbsolutePath().getParent());
      Process process = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile())).start();
      return new ChildJvm(name, process, output);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The arguments of {@code groundcontrol broker}: an embedded broker on {@code dataDir}, at
   * {@code port} (0 for a free one), {@code partitions} partitions per new topic.
   */
  public static String[] brokerArgs(Path dataDir, int port, int partitions) {
    return brokerArgs(dataDir, port, partitions, Map.of());
  }

  /** As {@link #brokerArgs(Path, int, int)}, with broker configs over the embedded node's own. */
  public static String[] brokerArgs(Path dataDir, int port, int partitions, Map<String, String> properties) {
    List<String> args = new ArrayList<>(List.of("broker", "--data-dir", dataDir.toString(), "--port",
        Integer.toString(port), "--partitions", Integer.toString(partitions)));
    properties.forEach((key, value) -> args.addAll(List.of("--property", key + "=" + value)));
    return args.toArray(String[]::new);
  }

  /** Waits until this child, started with {@link #brokerArgs}, serves; returns its bootstrap address. */
  public String awaitBrokerReady(Duration timeout) {
    return awaitOutput(BROKER_READY, timeout).group(1);
  }

  /**
   * Waits until the child prints a line matching {@code pattern}, and returns the first match.
   *
   * @throws IllegalStateException with the end of the child's output if it does not within
   *     {@code timeout}, or exits
   */
  public Matcher awaitOutput(Pattern pattern, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      Matcher matcher = pattern.matcher(output());
      if (matcher.find()) {
        return matcher;
      }
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "The " + name + " exited with " + process.exitValue() + " before printing '" + pattern + "':\n" + tail());
      }
      try {
        process.waitFor(100, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Interrupted while waiting for the " + name, e);
      }
    }
    throw new IllegalStateException("The " + name + " did not print '" + pattern + "' within " + timeout + ":\n" + tail());
  }

  /** Everything the child printed so far (and what earlier children printed to the same file). */
  public String output() {
    try {
      return Files.readString(output);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The file the child's output goes to. */
  public Path outputFile() {
    return output;
  }

  private String tail() {
    String all = output();
    return all.length() <= 4000 ? all : "..." + all.substring(all.length() - 4000);
  }

  /**
   * Waits until the child exits by itself, up to {@code timeout}.
   *
   * @return its exit code, or empty if it still runs
   */
  public OptionalInt awaitExit(Duration timeout) {
    try {
      return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)
          ? OptionalInt.of(process.exitValue()) : OptionalInt.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while waiting for the " + name, e);
    }
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

  /** CPU time the child has used so far (user and system), or 0 where the platform does not say. */
  public long cpuNanos() {
    return process.info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  @Override
  public void close() {
    kill();
  }
}
