package io.groundcontrol.coordinator;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.processor.StateRestoreListener;

/**
 * The changelog partitions this instance restores now, each with its store, for {@link
 * HangingTransactionWatch}: Kafka Streams restores an active task's store up to the changelog's log
 * end, reading committed records only under exactly-once (KAFKA-10167), so a transaction left open
 * there holds the task, and the instance, until it ends; and when a store last restored records, by
 * which the watch tells a long restore from a stuck instance. Passes every call on to {@code next}, as
 * Kafka Streams takes one restore listener. Called on Kafka Streams' restoring threads.
 */
final class RestoringChangelogs implements StateRestoreListener {
  private final StateRestoreListener next;
  private final Clock clock;
  private final Map<TopicPartition, String> stores = new ConcurrentHashMap<>();
  private volatile Instant lastRestored;

  RestoringChangelogs(StateRestoreListener next, Clock clock) {
    this.next = next;
    this.clock = clock;
  }

  /** When a store last restored a batch of records, by the wall clock; empty if none has yet. */
  Optional<Instant> lastRestored() {
    return Optional.ofNullable(lastRestored);
  }

  /** The partitions restoring now, each with its store's name. */
  Map<TopicPartition, String> now() {
    return Map.copyOf(stores);
  }

  @Override
  public void onRestoreStart(TopicPartition partition, String store, long startingOffset, long endingOffset) {
    stores.put(partition, store);
    next.onRestoreStart(partition, store, startingOffset, endingOffset);
  }

  @Override
  public void onBatchRestored(TopicPartition partition, String store, long batchEndOffset, long numRestored) {
    lastRestored = clock.instant();
    next.onBatchRestored(partition, store, batchEndOffset, numRestored);
  }

  @Override
  public void onRestoreEnd(TopicPartition partition, String store, long totalRestored) {
    stores.remove(partition);
    next.onRestoreEnd(partition, store, totalRestored);
  }

  @Override
  public void onRestoreSuspended(TopicPartition partition, String store, long totalRestored) {
    stores.remove(partition);
    next.onRestoreSuspended(partition, store, totalRestored);
  }
}
