package io.groundcontrol.worker.internal;

/** One instruction record taken from a partition, to be marked done once it is answered. */
record Taken(PartitionOffsets partition, long offset) {

  static Taken take(PartitionOffsets partition, long offset) {
    partition.taken(offset);
    return new Taken(partition, offset);
  }

  /** Whether this record comes before {@code other} in the log of the same partition. */
  boolean precedes(Taken other) {
    return partition.partition().equals(other.partition.partition()) && offset < other.offset;
  }

  void done() {
    partition.done(offset);
  }
}
