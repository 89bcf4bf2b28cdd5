package io.groundcontrol.worker.internal;

import java.util.OptionalLong;
import java.util.TreeSet;
import org.apache.kafka.common.TopicPartition;

/**
 * The records taken from one partition during one assignment of it, and which of them are done.
 * The offset to commit is the first record not yet done: with several handlers, a later record may
 * finish first, and committing past an earlier one would lose it on a restart. Offsets need not be
 * contiguous (transaction markers, compaction), so records are tracked, not offset numbers.
 *
 * <p>A new instance is made each time the partition is assigned, so that an attempt finishing
 * after its partition was revoked marks a retired instance and commits nothing. Poll thread only.
 */
final class PartitionOffsets {
  private final TopicPartition partition;
  private final TreeSet<Long> pending = new TreeSet<>();
  private long firstTaken = -1;
  private long nextAfterTaken = -1;
  /** The last offset committed, or the first taken: committing that would say nothing new. */
  private long committed = -1;
  private boolean retired;

  PartitionOffsets(TopicPartition partition) {
    this.partition = partition;
  }

  TopicPartition partition() {
    return partition;
  }

  /** Records that {@code offset} was taken; offsets arrive in increasing order. */
  void taken(long offset) {
    if (firstTaken < 0) {
      firstTaken = offset;
      committed = offset;
    }
    pending.add(offset);
    nextAfterTaken = Math.max(nextAfterTaken, offset + 1);
  }

  /** Records that the record at {@code offset} needs nothing more before it is committed. */
  void done(long offset) {
    pending.remove(offset);
  }

  /** The offset to commit now, if it is beyond what was committed. */
  OptionalLong toCommit() {
    OptionalLong next = next();
    return next.isPresent() && next.getAsLong() > committed ? next : OptionalLong.empty();
  }

  /**
   * The first record not yet done, or the offset after the last taken; empty while the first record
   * taken is not done, since committing its offset would say nothing.
   */
  OptionalLong next() {
    if (retired || nextAfterTaken < 0) {
      return OptionalLong.empty();
    }
    long next = pending.isEmpty() ? nextAfterTaken : pending.first();
    return next > firstTaken ? OptionalLong.of(next) : OptionalLong.empty();
  }

  void committed(long offset) {
    committed = Math.max(committed, offset);
  }

  /** An asynchronous commit failed: commit again next time, even if nothing new is done. */
  void commitFailed() {
    committed = firstTaken;
  }

  /** The partition was revoked or lost: nothing more is committed through this instance. */
  void retire() {
    retired = true;
  }

  boolean retired() {
    return retired;
  }

  int pendingCount() {
    return pending.size();
  }
}
