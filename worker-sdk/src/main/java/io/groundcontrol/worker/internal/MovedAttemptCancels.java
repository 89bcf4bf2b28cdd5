package io.groundcontrol.worker.internal;

import io.groundcontrol.schema.InstructionKind;
import io.groundcontrol.schema.StageInstruction;
import io.groundcontrol.schema.wire.AvroCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the CANCELs of attempts still running here whose partition moved to another worker of the
 * component. Such a CANCEL (a mission cancelled, a stage skipped, a timeout) is written to the
 * partition, which this worker's group consumer no longer reads, so without this the attempt would
 * run on to its end. A consumer of no group, opened on first need, reads each moved partition from
 * the first record the worker had not read from it, and never commits. A partition is dropped once no
 * attempt from it is watched, or when it is assigned to this worker again. Poll thread only.
 */
final class MovedAttemptCancels implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MovedAttemptCancels.class);
  private static final AvroCodec<StageInstruction> INSTRUCTIONS = AvroCodec.of(StageInstruction.class);

  private final Supplier<Consumer<String, byte[]>> opener;
  private Consumer<String, byte[]> consumer;
  private final Map<TopicPartition, Set<AttemptKey>> watched = new HashMap<>();
  /** Where each watched partition is read from, until the consumer has been told so. */
  private final Map<TopicPartition, Long> toSeek = new HashMap<>();
  private final Set<String> errorsLogged = new HashSet<>();

  /** @param opener opens the consumer, of no group, when the first attempt is watched */
  MovedAttemptCancels(Supplier<Consumer<String, byte[]>> opener) {
    this.opener = opener;
  }

  /**
   * Watches {@code attempts}, running here from {@code partition}, which moved away: their CANCELs
   * are read from {@code from}, the first offset of it this worker had not read. A partition already
   * watched goes on from where it is.
   */
  void watch(TopicPartition partition, long from, Collection<AttemptKey> attempts) {
    if (attempts.isEmpty()) {
      return;
    }
    if (!watched.containsKey(partition)) {
      toSeek.put(partition, from);
      LOG.info("Reading the CANCELs of {} from offset {}, which moved to another worker while attempts from it run "
          + "here: {}", partition, from, attempts);
    }
    watched.computeIfAbsent(partition, p -> new HashSet<>()).addAll(attempts);
    reassign();
  }

  /** The attempt has ended here: its CANCEL no longer matters. */
  void ended(AttemptKey attempt) {
    if (watched.values().removeIf(attempts -> attempts.remove(attempt) && attempts.isEmpty())) {
      toSeek.keySet().retainAll(watched.keySet());
      reassign();
    }
  }

  /** These partitions are this worker's again: its group consumer reads their CANCELs. */
  void assignedBack(Collection<TopicPartition> partitions) {
    if (watched.keySet().removeAll(partitions)) {
      toSeek.keySet().retainAll(watched.keySet());
      reassign();
    }
  }

  /**
   * Returns, without waiting, the CANCELs read for watched attempts since the last call; an error is
   * logged, once for each kind, and read as nothing, so that it never stops the worker.
   */
  List<AttemptKey> poll() {
    if (!toSeek.isEmpty()) {
      reassign(); // it failed before
    }
    if (watched.isEmpty() || consumer == null || !toSeek.isEmpty()) {
      return List.of();
    }
    List<AttemptKey> cancels = new ArrayList<>();
    try {
      for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ZERO)) {
        AttemptKey key = cancelOf(record);
        Set<AttemptKey> attempts = watched.get(new TopicPartition(record.topic(), record.partition()));
        if (key != null && attempts != null && attempts.contains(key)) {
          cancels.add(key);
        }
      }
    } catch (RuntimeException e) {
      logOnce(e, "reading the instructions of partitions that moved to another worker");
    }
    return cancels;
  }

  private static AttemptKey cancelOf(ConsumerRecord<String, byte[]> record) {
    if (record.value() == null) {
      return null;
    }
    try {
      StageInstruction instruction = INSTRUCTIONS.decode(record.value());
      return instruction.getKind() == InstructionKind.CANCEL ? AttemptKey.of(instruction) : null;
    } catch (RuntimeException e) {
      return null; // the group consumer of the partition's owner says what is wrong with it
    }
  }

  /** Assigns the watched partitions, each new one from where the worker stopped reading it. */
  private void reassign() {
    try {
      if (consumer == null) {
        if (watched.isEmpty()) {
          return;
        }
        consumer = opener.get();
      }
      consumer.assign(watched.keySet());
      toSeek.forEach(consumer::seek);
      toSeek.clear();
    } catch (RuntimeException e) {
      logOnce(e, "reading the partitions that moved to another worker");
    }
  }

  private void logOnce(RuntimeException e, String doing) {
    if (errorsLogged.add(e.getClass().getName())) {
      LOG.warn("Failed {} (a CANCEL for an attempt still running here may not reach it; its heartbeats "
          + "and its timeout still bound it): {}", doing, ThrowableText.describe(e));
    }
  }

  @Override
  public void close() {
    if (consumer != null) {
      consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
    }
  }
}
