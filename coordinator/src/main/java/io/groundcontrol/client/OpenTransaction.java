package io.groundcontrol.client;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.apache.kafka.clients.admin.AbortTransactionSpec;
import org.apache.kafka.clients.admin.ProducerState;
import org.apache.kafka.common.TopicPartition;

/**
 * A transaction open on one partition, as the partition's leader describes its producers
 * ({@code Admin.describeProducers}): its records from {@code startOffset} on stay invisible to
 * {@code read_committed} readers, and a group's offsets committed in it stay pending, until a
 * commit or abort marker reaches the partition.
 *
 * @param partition where it is open
 * @param producerId its producer id
 * @param producerEpoch the producer's epoch on the partition
 * @param coordinatorEpoch the epoch of the transaction coordinator that last wrote a marker there; -1 if none
 * @param startOffset the offset of its first record on the partition
 * @param lastTimestamp the timestamp of the producer's last write to the partition, in ms
 * @param transactionalId the transactional id the transaction coordinators list for the producer id; empty if none
 */
public record OpenTransaction(TopicPartition partition, long producerId, int producerEpoch, int coordinatorEpoch,
    long startOffset, long lastTimestamp, Optional<String> transactionalId) {

  /** The open transaction of {@code producer} on {@code partition}; empty if it has none open there. */
  static Optional<OpenTransaction> of(TopicPartition partition, ProducerState producer) {
    if (producer.currentTransactionStartOffset().isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new OpenTransaction(partition, producer.producerId(), producer.producerEpoch(),
        producer.coordinatorEpoch().orElse(-1), producer.currentTransactionStartOffset().getAsLong(),
        producer.lastTimestamp(), Optional.empty()));
  }

  /** This transaction, of {@code id}. */
  OpenTransaction of(String id) {
    return new OpenTransaction(partition, producerId, producerEpoch, coordinatorEpoch, startOffset, lastTimestamp,
        Optional.ofNullable(id));
  }

  /** Whether {@code other} is this transaction, seen again: same partition, producer and start. */
  boolean same(OpenTransaction other) {
    return partition.equals(other.partition) && producerId == other.producerId
        && producerEpoch == other.producerEpoch && startOffset == other.startOffset;
  }

  /**
   * What {@code Admin.abortTransaction} needs to write an abort marker on the partition. A producer
   * that never had a marker there (coordinator epoch -1) gets 0, which no coordinator epoch is
   * below, as Kafka's {@code kafka-transactions.sh abort} does.
   */
  AbortTransactionSpec abortSpec() {
    return new AbortTransactionSpec(partition, producerId, (short) producerEpoch, Math.max(coordinatorEpoch, 0));
  }

  /** In one line: where, whose, since when. */
  public String describe(Instant now) {
    long minutes = Duration.between(Instant.ofEpochMilli(lastTimestamp), now).toMinutes();
    return partition + " from offset " + startOffset + ": producer id " + producerId + ", epoch " + producerEpoch
        + ", coordinator epoch " + coordinatorEpoch + ", last written " + Instant.ofEpochMilli(lastTimestamp)
        + " (" + minutes + " min ago), transactional id " + transactionalId.orElse("(none listed)");
  }
}
