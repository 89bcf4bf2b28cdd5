package io.groundcontrol.chaos;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The fault a chaos run injects mid-run. A coordinator fault strikes one instance: with several,
 * the one that owns the most partitions of {@code mission-commands}.
 */
public enum Fault {
  /** No fault: the baseline to compare the others with. */
  NONE("none", 1),
  /** One coordinator instance is killed (SIGKILL) and restarted on the same state dir. */
  COORDINATOR_SAME_DIR("coordinator-same-dir", 1),
  /** One coordinator instance is killed and restarted on a fresh state dir: its stores come back from Kafka. */
  COORDINATOR_FRESH_DIR("coordinator-fresh-dir", 1),
  /** One coordinator instance of several is killed for good: its work moves to the others once its session ends. */
  COORDINATOR_LOST("coordinator-lost", 2),
  /** The workers' process is killed and a new one started. */
  WORKER("worker", 1),
  /** The broker is killed and restarted on the same data dir and port. */
  BROKER("broker", 1);

  private final String label;
  private final int minimumCoordinators;

  Fault(String label, int minimumCoordinators) {
    this.label = label;
    this.minimumCoordinators = minimumCoordinators;
  }

  public String label() {
    return label;
  }

  /** How many coordinator instances a run needs for this fault to make sense. */
  public int minimumCoordinators() {
    return minimumCoordinators;
  }

  /** Whether this fault kills a coordinator instance. */
  public boolean strikesCoordinator() {
    return this == COORDINATOR_SAME_DIR || this == COORDINATOR_FRESH_DIR || this == COORDINATOR_LOST;
  }

  /** The fault named {@code label}, as on the command line. */
  public static Fault of(String label) {
    for (Fault fault : values()) {
      if (fault.label.equals(label.strip().toLowerCase(Locale.ROOT))) {
        return fault;
      }
    }
    throw new IllegalArgumentException("Expected a fault among "
        + Arrays.stream(values()).map(Fault::label).collect(Collectors.joining(", ")) + ", but got '" + label + "'");
  }

  @Override
  public String toString() {
    return label;
  }
}
