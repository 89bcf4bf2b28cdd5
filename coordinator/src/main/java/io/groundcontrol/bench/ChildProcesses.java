package io.groundcontrol.bench;

import io.groundcontrol.chaos.ChildJvm;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;

/**
 * Processes the benchmark started for its own installation (the embedded broker in a JVM of its
 * own): their CPU counts with the benchmark's JVM, not as other processes taking the machine.
 */
final class ChildProcesses {
  private static final Set<ChildJvm> RUNNING = new CopyOnWriteArraySet<>();

  private ChildProcesses() {}

  static void add(ChildJvm child) {
    RUNNING.add(child);
  }

  static void remove(ChildJvm child) {
    RUNNING.remove(child);
  }

  /** CPU time the running children have used so far. */
  static long cpuNanos() {
    long total = 0;
    for (ChildJvm child : RUNNING) {
      total += child.cpuNanos();
    }
    return total;
  }
}
