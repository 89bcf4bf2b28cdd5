package io.groundcontrol.coordinator;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.processor.StateRestoreListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Says in one line when the coordinator rebuilds its stores from their changelogs, and in one more
 * when it is done. That is expected recovery, not a fault: on a fresh state dir, on a task moved
 * from another instance, and after an unclean stop under exactly-once (Kafka Streams then finds no
 * checkpoint, reports the task corrupted, wipes its local state and restores it). Kafka Streams' own
 * warnings about it are silenced in {@code simplelogger.properties}.
 */
final class RecoveryLog implements StateRestoreListener {
  private static final Logger LOG = LoggerFactory.getLogger(RecoveryLog.class);

  private final AtomicInteger restoring = new AtomicInteger();
  private final AtomicLong records = new AtomicLong();
  private volatile long startedNanos;

  @Override
  public void onRestoreStart(TopicPartition partition, String store, long startingOffset, long endingOffset) {
    if (restoring.getAndIncrement() == 0) {
      startedNanos = System.nanoTime();
      records.set(0);
      LOG.info("Rebuilding local state from the changelogs (expected on a new state dir, a moved task, or after an "
          + "unclean stop under exactly-once); timers wait until the inputs are read");
    }
  }

  @Override
  public void onBatchRestored(TopicPartition partition, String store, long batchEndOffset, long numRestored) {
    records.addAndGet(numRestored);
  }

  @Override
  public void onRestoreEnd(TopicPartition partition, String store, long totalRestored) {
    if (restoring.decrementAndGet() == 0) {
      LOG.info("Local state rebuilt: {} changelog records in {} ms", records.get(),
          (System.nanoTime() - startedNanos) / 1_000_000);
    }
  }

  @Override
  public void onRestoreSuspended(TopicPartition partition, String store, long totalRestored) {
    restoring.decrementAndGet();
  }
}
