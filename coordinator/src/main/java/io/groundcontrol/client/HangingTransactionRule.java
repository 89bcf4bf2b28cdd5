package io.groundcontrol.client;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.ProducerState;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.common.TopicPartition;

/**
 * Which open transactions are hanging, by the rule of Kafka's {@code kafka-transactions.sh
 * find-hanging} (KIP-664): one whose producer last wrote to the partition longer than the maximum
 * transaction timeout ago (no live transaction is open that long: its coordinator aborts it first),
 * and whose producer id no transaction coordinator lists, or whose transactional id is unknown, or
 * whose transactional id's current transaction does not include the partition (so no coordinator
 * will ever write its marker there). Plain decisions over what the Admin API answered.
 */
public final class HangingTransactionRule {
  /** The maximum transaction timeout Kafka's tool assumes, the broker's default {@code transaction.max.timeout.ms}. */
  public static final Duration DEFAULT_MAX_TIMEOUT = Duration.ofMinutes(15);

  private HangingTransactionRule() {}

  /** What an open transaction is. */
  public enum Verdict {
    /** Older than the maximum timeout and no coordinator will end it: only an abort by an operator does. */
    HANGING,
    /**
     * No coordinator includes the partition in its transaction now, but it was last written less than
     * the maximum timeout ago: it may still be live (Kafka's rule), so it is never aborted; still open
     * at {@link Judged#hangingFrom}, it is hanging.
     */
    YOUNG,
    /** Its transactional id's current transaction includes the partition: its coordinator ends it. */
    ONGOING
  }

  /**
   * An open transaction and what it is.
   *
   * @param description its transactional id's transaction as its coordinator describes it; empty when
   *     no coordinator lists its producer id or knows its transactional id
   */
  public record Judged(OpenTransaction transaction, Verdict verdict, Optional<TransactionDescription> description) {
    public boolean hanging() {
      return verdict == Verdict.HANGING;
    }

    /** When it counts as hanging if still open: its last write and {@code maxTimeout}. */
    public Instant hangingFrom(Duration maxTimeout) {
      return Instant.ofEpochMilli(transaction.lastTimestamp()).plus(maxTimeout);
    }

    /**
     * Whether Kafka ends it by itself, and when, in words: "Kafka aborts it at ..." or "no Kafka
     * coordinator will end it: ...", and for a young one when it counts as hanging.
     */
    public String fate(Duration maxTimeout) {
      if (verdict == Verdict.ONGOING) {
        TransactionDescription current = description.orElseThrow();
        if (current.state() != TransactionState.ONGOING || current.transactionStartTimeMs().isEmpty()) {
          return "its transaction coordinator is ending it (" + current.state() + ")";
        }
        Instant timesOut = Instant.ofEpochMilli(current.transactionStartTimeMs().getAsLong())
            .plusMillis(current.transactionTimeoutMs());
        return "its transaction coordinator aborts it at " + timesOut + " (its start and its timeout, "
            + current.transactionTimeoutMs() / 1000 + " s) unless its producer ends it first";
      }
      String none = "no Kafka coordinator will end it (" + whyNone() + ")";
      return verdict == Verdict.HANGING ? none
          : none + "; it counts as hanging, and can be aborted, from " + hangingFrom(maxTimeout)
              + " (its last write and the maximum transaction timeout, " + maxTimeout.toMinutes() + " min)";
    }

    private String whyNone() {
      if (transaction.transactionalId().isEmpty()) {
        return "no transaction coordinator lists producer id " + transaction.producerId();
      }
      String id = transaction.transactionalId().get();
      return description.map(current -> "the transaction of " + id + ", " + current.state() + ", does not include "
          + transaction.partition()).orElse("its coordinator does not know " + id);
    }
  }

  /** The open transactions among {@code producers} (each partition's active producers). */
  public static List<OpenTransaction> open(Map<TopicPartition, ? extends Collection<ProducerState>> producers) {
    List<OpenTransaction> open = new ArrayList<>();
    producers.forEach((partition, states) ->
        states.forEach(state -> OpenTransaction.of(partition, state).ifPresent(open::add)));
    return open;
  }

  /** Whether {@code transaction} is older than {@code maxTimeout} at {@code nowMs}: only such a one may be hanging. */
  public static boolean old(OpenTransaction transaction, long nowMs, Duration maxTimeout) {
    return nowMs - transaction.lastTimestamp() > maxTimeout.toMillis();
  }

  /**
   * Judges each of {@code open}.
   *
   * @param transactionalIds the transactional id of each producer id, as the transaction coordinators list them
   * @param descriptions each listed transactional id's transaction; empty for one the coordinator does not know
   */
  public static List<Judged> judge(List<OpenTransaction> open, long nowMs, Duration maxTimeout,
      Map<Long, String> transactionalIds, Map<String, Optional<TransactionDescription>> descriptions) {
    List<Judged> judged = new ArrayList<>();
    for (OpenTransaction transaction : open) {
      String id = transactionalIds.get(transaction.producerId());
      OpenTransaction named = transaction.of(id);
      Optional<TransactionDescription> description = named.transactionalId()
          .flatMap(listed -> descriptions.getOrDefault(listed, Optional.empty()));
      judged.add(new Judged(named, verdict(named, nowMs, maxTimeout, description), description));
    }
    return judged;
  }

  private static Verdict verdict(OpenTransaction transaction, long nowMs, Duration maxTimeout,
      Optional<TransactionDescription> description) {
    // PendingCommit and PendingAbort list the partitions whose markers are still to be written.
    if (description.isPresent() && description.get().topicPartitions().contains(transaction.partition())) {
      return Verdict.ONGOING;
    }
    return old(transaction, nowMs, maxTimeout) ? Verdict.HANGING : Verdict.YOUNG;
  }
}
