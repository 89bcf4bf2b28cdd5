package io.groundcontrol.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.client.HangingTransactionRule.Judged;
import io.groundcontrol.client.HangingTransactionRule.Verdict;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import org.apache.kafka.clients.admin.AbortTransactionSpec;
import org.apache.kafka.clients.admin.ProducerState;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** Which open transactions are hanging, from what DescribeProducers, ListTransactions and DescribeTransactions answer. */
class HangingTransactionRuleTest {
  private static final TopicPartition OFFSETS = new TopicPartition("__consumer_offsets", 0);
  private static final TopicPartition EVENTS = new TopicPartition("gc.mission-events", 1);
  private static final Duration MAX = HangingTransactionRule.DEFAULT_MAX_TIMEOUT;
  private static final long NOW = 1_800_000_000_000L;
  private static final long OLD = NOW - MAX.toMillis() - 1;
  private static final String ID = "gc-coordinator-5e1f-1";

  @Test
  void anOldTransactionWhoseTransactionalIdIsEmptyIsHanging() {
    // What the stuck cluster showed: producer 0 open on the offsets at 4479, its transactional id Empty.
    List<OpenTransaction> open = open(OFFSETS, producer(0, 862, 0, 4479, OLD));

    List<Judged> judged = HangingTransactionRule.judge(open, NOW, MAX, Map.of(0L, ID),
        Map.of(ID, Optional.of(description(TransactionState.EMPTY, 0, 863, Set.of()))));

    assertThat(judged).singleElement().satisfies(j -> {
      assertThat(j.verdict()).isEqualTo(Verdict.HANGING);
      assertThat(j.transaction().transactionalId()).contains(ID);
      assertThat(j.transaction().startOffset()).isEqualTo(4479);
    });
  }

  @Test
  void anOldTransactionWhoseTransactionalIdIsBusyElsewhereIsHanging() {
    List<OpenTransaction> open = open(OFFSETS, producer(7, 3, 2, 100, OLD));

    List<Judged> judged = HangingTransactionRule.judge(open, NOW, MAX, Map.of(7L, ID),
        Map.of(ID, Optional.of(description(TransactionState.ONGOING, 7, 4, Set.of(EVENTS)))));

    assertThat(judged).extracting(Judged::verdict).containsExactly(Verdict.HANGING);
  }

  @Test
  void anOldTransactionWhoseProducerIdNoCoordinatorListsIsHanging() {
    List<Judged> judged = HangingTransactionRule.judge(open(EVENTS, producer(9, 0, -1, 5, OLD)), NOW, MAX,
        Map.of(), Map.of());

    assertThat(judged).extracting(Judged::verdict).containsExactly(Verdict.HANGING);
  }

  @Test
  void anOldTransactionWhoseTransactionalIdIsNotFoundIsHanging() {
    List<Judged> judged = HangingTransactionRule.judge(open(EVENTS, producer(9, 0, -1, 5, OLD)), NOW, MAX,
        Map.of(9L, ID), Map.of(ID, Optional.empty()));

    assertThat(judged).extracting(Judged::verdict).containsExactly(Verdict.HANGING);
  }

  @Test
  void aTransactionYoungerThanTheMaximumTimeoutIsNeverHangingWhateverItsCoordinatorSays() {
    long young = NOW - MAX.toMillis();

    List<Judged> judged = HangingTransactionRule.judge(open(OFFSETS, producer(0, 862, 0, 4479, young)), NOW, MAX,
        Map.of(), Map.of());

    assertThat(judged).extracting(Judged::verdict).containsExactly(Verdict.YOUNG);
  }

  @Test
  void anOldTransactionWhoseTransactionalIdIsOngoingWithThePartitionIsNotHanging() {
    List<Judged> judged = HangingTransactionRule.judge(open(OFFSETS, producer(7, 3, 2, 100, OLD)), NOW, MAX,
        Map.of(7L, ID), Map.of(ID, Optional.of(description(TransactionState.ONGOING, 7, 3, Set.of(OFFSETS, EVENTS)))));

    assertThat(judged).extracting(Judged::verdict).containsExactly(Verdict.ONGOING);
  }

  @Test
  void anOldTransactionWhoseMarkerItsCoordinatorIsStillWritingIsNotHanging() {
    List<Judged> judged = HangingTransactionRule.judge(open(OFFSETS, producer(7, 3, 2, 100, OLD)), NOW, MAX,
        Map.of(7L, ID), Map.of(ID, Optional.of(description(TransactionState.PREPARE_COMMIT, 7, 3, Set.of(OFFSETS)))));

    assertThat(judged).extracting(Judged::verdict).containsExactly(Verdict.ONGOING);
  }

  @Test
  void aYoungTransactionItsCoordinatorIncludesIsOngoingAndTheCoordinatorAbortsItAtItsTimeout() {
    long started = NOW - 4_000;
    List<Judged> judged = HangingTransactionRule.judge(open(EVENTS, producer(7, 3, 2, 100, NOW - 1_000)), NOW, MAX,
        Map.of(7L, ID), Map.of(ID, Optional.of(new TransactionDescription(1, TransactionState.ONGOING, 7, 3, 10_000,
            OptionalLong.of(started), Set.of(EVENTS)))));

    assertThat(judged).singleElement().satisfies(j -> {
      assertThat(j.verdict()).isEqualTo(Verdict.ONGOING);
      assertThat(j.fate(MAX)).isEqualTo("its transaction coordinator aborts it at 2027-01-15T08:00:06Z (its start and "
          + "its timeout, 10 s) unless its producer ends it first");
    });
  }

  @Test
  void aYoungTransactionNoCoordinatorWillEndSaysWhyAndWhenItCountsAsHanging() {
    List<Judged> notListed = HangingTransactionRule.judge(open(EVENTS, producer(9, 0, -1, 5, NOW - 180_000)), NOW,
        MAX, Map.of(), Map.of());
    List<Judged> unknown = HangingTransactionRule.judge(open(EVENTS, producer(9, 0, -1, 5, NOW - 180_000)), NOW,
        MAX, Map.of(9L, ID), Map.of(ID, Optional.empty()));
    List<Judged> moved = HangingTransactionRule.judge(open(EVENTS, producer(9, 0, -1, 5, NOW - 180_000)), NOW,
        MAX, Map.of(9L, ID), Map.of(ID, Optional.of(description(TransactionState.COMPLETE_COMMIT, 9, 1, Set.of()))));

    assertThat(notListed.get(0).verdict()).isEqualTo(Verdict.YOUNG);
    assertThat(notListed.get(0).fate(MAX)).isEqualTo("no Kafka coordinator will end it (no transaction coordinator "
        + "lists producer id 9); it counts as hanging, and can be aborted, from 2027-01-15T08:12:00Z (its last write "
        + "and the maximum transaction timeout, 15 min)");
    assertThat(unknown.get(0).fate(MAX)).startsWith("no Kafka coordinator will end it (its coordinator does not know "
        + ID + ");");
    assertThat(moved.get(0).fate(MAX)).startsWith("no Kafka coordinator will end it (the transaction of " + ID
        + ", CompleteCommit, does not include gc.mission-events-1);");
  }

  @Test
  void producersWithNoOpenTransactionAreLeftOut() {
    ProducerState idle = new ProducerState(3, 1, 10, OLD, OptionalInt.of(0), OptionalLong.empty());

    assertThat(HangingTransactionRule.open(Map.of(OFFSETS, List.of(idle)))).isEmpty();
  }

  @Test
  void eachOpenTransactionIsJudgedOnItsOwn() {
    List<OpenTransaction> open = HangingTransactionRule.open(Map.of(
        OFFSETS, List.of(producer(0, 862, 0, 4479, OLD)),
        EVENTS, List.of(producer(7, 3, 2, 100, NOW - 1_000))));

    List<Judged> judged = HangingTransactionRule.judge(open, NOW, MAX, Map.of(0L, ID), Map.of(ID, Optional.empty()));

    assertThat(judged).extracting(j -> j.transaction().partition() + " " + j.verdict())
        .containsExactlyInAnyOrder("__consumer_offsets-0 HANGING", "gc.mission-events-1 YOUNG");
  }

  @Test
  void theAbortNamesTheTransactionAndCoordinatorEpochZeroForAProducerThatNeverHadAMarker() {
    OpenTransaction never = open(EVENTS, producer(9, 4, -1, 5, OLD)).get(0);
    OpenTransaction had = open(OFFSETS, producer(0, 862, 3, 4479, OLD)).get(0);

    assertThat(never.abortSpec()).isEqualTo(new AbortTransactionSpec(EVENTS, 9, (short) 4, 0));
    assertThat(had.abortSpec()).isEqualTo(new AbortTransactionSpec(OFFSETS, 0, (short) 862, 3));
  }

  private static List<OpenTransaction> open(TopicPartition partition, ProducerState producer) {
    return HangingTransactionRule.open(Map.of(partition, List.of(producer)));
  }

  private static ProducerState producer(long id, int epoch, int coordinatorEpoch, long start, long lastTimestamp) {
    return new ProducerState(id, epoch, 10, lastTimestamp,
        coordinatorEpoch < 0 ? OptionalInt.empty() : OptionalInt.of(coordinatorEpoch), OptionalLong.of(start));
  }

  private static TransactionDescription description(TransactionState state, long producerId, int epoch,
      Set<TopicPartition> partitions) {
    return new TransactionDescription(1, state, producerId, epoch, 10_000, OptionalLong.empty(), partitions);
  }
}
