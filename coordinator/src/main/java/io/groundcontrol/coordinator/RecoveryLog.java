package io.groundcontrol.coordinator;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.processor.StateRestoreListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Says in one line when the coordinator starts rebuilding its stores from their changelogs, and
 * sums it up when the coordinator runs again. That is expected recovery, not a fault: on a fresh
 * state dir, for a task moved from another instance, and after an unclean stop under exactly-once
 * (Kafka Streams then finds no checkpoint, declares the tasks corrupted, wipes their local state
 * and restores it). Kafka Streams' own warnings about it are silenced in {@code
 * simplelogger.properties}.
 */
final class RecoveryLog implements StateRestoreListener {
  private static final Logger LOG = LoggerFactory.getLogger(RecoveryLog.class);

  private final AtomicBoolean restoring = new AtomicBoolean();
  private final AtomicLong records = new AtomicLong();
  private final AtomicLong startedNanos = new AtomicLong();

  @Override
  public void onRestoreStart(TopicPartition partition, String store, long startingOffset, long endingOffset) {
    if (restoring.compareAndSet(false, true)) {
      startedNanos.set(System.nanoTime());
      records.set(0);
      LOG.info("Rebuilding local state from the changelogs: expected on a new state dir, for a task moved here, or "
          + "after an unclean stop under exactly-once; timers wait until the inputs are read");
    }
  }

  @Override
  public void onBatchRestored(TopicPartition partition, String store, long batchEndOffset, long numRestored) {
    records.addAndGet(numRestored);
  }

  @Override
  public void onRestoreEnd(TopicPartition partition, String store, long totalRestored) {}

  /** What was rebuilt since the last call, if anything: for the line that says the coordinator runs again. */
  Optional<String> summary() {
    if (!restoring.compareAndSet(true, false)) {
      return Optional.empty();
    }
    return Optional.of("local state rebuilt from " + records.get() + " changelog records in "
        + (System.nanoTime() - startedNanos.get()) / 1_000_000 + " ms");
  }
}
