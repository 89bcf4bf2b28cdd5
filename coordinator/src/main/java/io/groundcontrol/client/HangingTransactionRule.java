package io.groundcontrol.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.ProducerState;
import org.apache.kafka.clients.admin.TransactionDescription;
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
    /** No coordinator will end it: only an abort by an operator does. */
    HANGING,
    /** Open for less than the maximum timeout: it may be live, and is never aborted. */
    YOUNG,
    /** Its transactional id's current transaction includes the partition: its coordinator ends it. */
    ONGOING
  }

  /** An open transaction and what it is. */
  public record Judged(OpenTransaction transaction, Verdict verdict) {
    public boolean hanging() {
      return verdict == Verdict.HANGING;
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
      judged.add(new Judged(named, verdict(named, nowMs, maxTimeout, descriptions)));
    }
    return judged;
  }

  private static Verdict verdict(OpenTransaction transaction, long nowMs, Duration maxTimeout,
      Map<String, Optional<TransactionDescription>> descriptions) {
    if (!old(transaction, nowMs, maxTimeout)) {
      return Verdict.YOUNG;
    }
    Optional<TransactionDescription> description = transaction.transactionalId()
        .flatMap(id -> descriptions.getOrDefault(id, Optional.empty()));
    // PendingCommit and PendingAbort list the partitions whose markers are still to be written.
    return description.isPresent() && description.get().topicPartitions().contains(transaction.partition())
        ? Verdict.ONGOING : Verdict.HANGING;
  }
}
