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
  private final AtomicBoolean announced = new AtomicBoolean();
  private final AtomicLong records = new AtomicLong();
  private final AtomicLong startedNanos = new AtomicLong();

  @Override
  public void onRestoreStart(TopicPartition partition, String store, long startingOffset, long endingOffset) {
    if (restoring.compareAndSet(false, true)) {
      startedNanos.set(System.nanoTime());
      records.set(0);
      announced.set(false);
    }
  }

  /**
   * Announces the rebuild at its first restored batch rather than at the first store's start:
   * Kafka Streams starts a restore for every store it opens, also when its checkpoint leaves nothing
   * to read (a restart of the streams for new trigger topics, a clean restart).
   */
  @Override
  public void onBatchRestored(TopicPartition partition, String store, long batchEndOffset, long numRestored) {
    records.addAndGet(numRestored);
    if (numRestored > 0 && announced.compareAndSet(false, true)) {
      LOG.info("Rebuilding local state from the changelogs: expected on a new state dir, for a task moved here, or "
          + "after an unclean stop under exactly-once; timers wait until the inputs are read");
    }
  }

  @Override
  public void onRestoreEnd(TopicPartition partition, String store, long totalRestored) {}

  /** What was rebuilt since the last call, if anything: for the line that says the coordinator runs again. */
  Optional<String> summary() {
    if (!restoring.compareAndSet(true, false)) {
      return Optional.empty();
    }
    long millis = (System.nanoTime() - startedNanos.get()) / 1_000_000;
    long rebuilt = records.get();
    return Optional.of(rebuilt == 0 ? "nothing to rebuild from the changelogs (stores opened and checked in " + millis + " ms)"
        : "local state rebuilt from " + rebuilt + " changelog records in " + millis + " ms");
  }
}
