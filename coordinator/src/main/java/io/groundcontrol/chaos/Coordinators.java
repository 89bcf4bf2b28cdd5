package io.groundcontrol.chaos;

/**
 * The coordinator instances of a chaos run: processes of one application id on one broker, each
 * with its own state dir and API port.
 *
 * @param count how many instances
 * @param partitions the partition count of the installation's topics, at least {@code count} so
 *     that every instance gets missions
 * @param standbyReplicas warm copies of each store on other instances, as the coordinator's
 *     {@code --standby-replicas}; at most {@code count - 1}
 */
public record Coordinators(int count, int partitions, int standbyReplicas) {
  /** The partition count of a run with one instance, as before there could be several. */
  static final int SINGLE_PARTITIONS = 3;

  public Coordinators {
    if (count < 1) {
      throw new IllegalArgumentException("coordinators must be at least 1, but was " + count);
    }
    if (partitions < count) {
      throw new IllegalArgumentException("partitions must be at least the " + count + " coordinators, or some get "
          + "no missions, but was " + partitions);
    }
    if (standbyReplicas < 0 || standbyReplicas >= count) {
      throw new IllegalArgumentException("standby replicas must be 0 to " + (count - 1) + " with " + count
          + " coordinator" + (count == 1 ? "" : "s") + " (each copy lives on another instance), but was "
          + standbyReplicas);
    }
  }

  /** One instance on 3 partitions, no standby. */
  public static Coordinators single() {
    return new Coordinators(1, SINGLE_PARTITIONS, 0);
  }

  /** {@code count} instances on the default partition count: {@link #defaultPartitions(int)}. */
  public static Coordinators of(int count, int standbyReplicas) {
    return new Coordinators(count, defaultPartitions(count), standbyReplicas);
  }

  /** 3 partitions for one instance, 2 per instance for more: each has missions on two partitions. */
  public static int defaultPartitions(int count) {
    return Math.max(SINGLE_PARTITIONS, 2 * count);
  }
}
