package io.groundcontrol.python;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** What the Python real-broker tests check of the worker processes they start. */
final class PythonWorkerProcesses {
  private PythonWorkerProcesses() {}

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
