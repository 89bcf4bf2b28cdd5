package io.groundcontrol.python;

import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.testing.GroundcontrolFixture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/** What the Python real-broker tests check of the worker processes they start. */
final class PythonWorkerProcesses {
  private PythonWorkerProcesses() {}

  /** What a test waits for; it may throw. */
  interface Condition {
    boolean holds() throws Exception;
  }

  /**
   * Looks at {@code condition} every 50 ms until it holds; after {@code wait}, fails saying {@code what}
   * was waited for, and {@code context} (the workers' logs, say).
   */
  static void await(Condition condition, Duration wait, String what, Callable<String> context) throws Exception {
    long deadline = System.nanoTime() + wait.toNanos();
    while (!condition.holds()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("Waited in vain for " + what + "; " + context.call());
      }
      TimeUnit.MILLISECONDS.sleep(50); // polling pace: the condition decides
    }
  }

  /**
   * Starts {@code mixed_worker.py}, a Python worker of {@code component} whose handler marks each run in
   * {@code marks}, its output to {@code log}.
   */
  static Process startMixedWorker(GroundcontrolFixture groundcontrol, Path marks, String component, String workerId,
      int parallelism, Path log) throws IOException {
    return new ProcessBuilder(System.getProperty("groundcontrol.python", "python3"),
        Path.of("src", "test", "resources", "mixed_worker.py").toAbsolutePath().toString(),
        groundcontrol.bootstrapServers(), groundcontrol.topics().prefix(), marks.toString(), component, workerId,
        Integer.toString(parallelism))
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }

  /**
   * Sends {@code python} SIGTERM and checks that it exits 0 within 30 s, having printed "worker exited
   * cleanly" (as the tests' worker scripts do once {@code worker.run()} returns) to {@code log}.
   */
  static void stopCleanly(String workerId, Process python, Path log) throws Exception {
    python.destroy(); // SIGTERM
    assertThat(python.waitFor(30, TimeUnit.SECONDS)).as(workerId + " exits after SIGTERM").isTrue();
    assertThat(python.exitValue()).isZero();
    assertThat(Files.readString(log)).contains("worker exited cleanly");
  }
}
