package io.groundcontrol.worker.internal;

/** One instruction record taken from a partition, to be marked done once it is answered. */
record Taken(PartitionOffsets partition, long offset) {

  static Taken take(PartitionOffsets partition, long offset) {
    partition.taken(offset);
    return new Taken(partition, offset);
  }

  void done() {
    partition.done(offset);
  }
}
