package io.groundcontrol.chaos;

import java.util.Locale;

/** The fault a chaos run injects mid-run. */
public enum Fault {
  /** No fault: the baseline to compare the others with. */
  NONE("none"),
  /** The coordinator is killed (SIGKILL) and restarted on the same state dir. */
  COORDINATOR_SAME_DIR("coordinator-same-dir"),
  /** The coordinator is killed and restarted on a fresh state dir: its stores come back from Kafka. */
  COORDINATOR_FRESH_DIR("coordinator-fresh-dir"),
  /** The workers' process is killed and a new one started. */
  WORKER("worker"),
  /** The broker is killed and restarted on the same data dir and port. */
  BROKER("broker");

  private final String label;

  Fault(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }

  /** The fault named {@code label}, as on the command line. */
  public static Fault of(String label) {
    for (Fault fault : values()) {
      if (fault.label.equals(label.strip().toLowerCase(Locale.ROOT))) {
        return fault;
      }
    }
    throw new IllegalArgumentException("Expected a fault among none, coordinator-same-dir, coordinator-fresh-dir, "
        + "worker, broker, but got '" + label + "'");
  }

  @Override
  public String toString() {
    return label;
  }
}
