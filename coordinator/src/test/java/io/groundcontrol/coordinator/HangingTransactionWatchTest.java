package io.groundcontrol.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.client.HangingTransactionRule;
import io.groundcontrol.client.HangingTransactionRule.Judged;
import io.groundcontrol.client.KafkaConnection;
import io.groundcontrol.client.OpenTransaction;
import io.groundcontrol.coordinator.HangingTransactionWatch.Held;
import io.groundcontrol.schema.wire.TopicNames;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import org.apache.kafka.clients.admin.ProducerState;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;

/**
 * What the coordinator's watch names, in its log and on /health/ready, while an open transaction
 * holds up its tasks: on the group's offsets, a changelog it restores or an input of its tasks; which
 * partition, whose producer, since when, whether Kafka ends it and when, and the command that aborts it.
 */
class HangingTransactionWatchTest {
  private static final TopicPartition OFFSETS = new TopicPartition("__consumer_offsets", 0);
  private static final TopicPartition MISSIONS = new TopicPartition("outage-coordinator-missions-changelog", 3);
  private static final TopicPartition REQUESTS =
      new TopicPartition("outage-coordinator-admission-requests-repartition", 5);
  private static final CoordinatorConfig OUTAGE = CoordinatorConfig.defaults("10.0.0.1:9092", Path.of("state"))
      .withTopics(new TopicNames("outage"), "outage-coordinator");
  private static final String ID = "outage-coordinator-792725a4-1";
  private static final Instant START = Instant.parse("2026-12-07T16:00:00Z");
  private static final Duration MAX = HangingTransactionRule.DEFAULT_MAX_TIMEOUT;

  @Test
  void aTransactionLeftOpenOnAChangelogThisInstanceRestoresIsNamedWithWhenItCountsAsHangingAndTheCommand() {
    // The walkthrough: after a 30 s broker stop one instance's last transaction stayed open on a
    // changelog it restored, its transactional id Empty, and the instance stayed REBALANCING.
    TestClock clock = new TestClock(START);
    long lastWrite = START.toEpochMilli();
    FakeSearch kafka = new FakeSearch(clock, Map.of(MISSIONS, producer(5, 41, 0, 1234, lastWrite)), Map.of(5L, ID),
        Map.of(ID, Optional.of(description(TransactionState.EMPTY, 5, 42, 0, Set.of()))));
    HangingTransactionWatch watch = new HangingTransactionWatch(OUTAGE, () -> KafkaStreams.State.REBALANCING,
        () -> List.of(Held.changelog(MISSIONS, "missions"), Held.input(REQUESTS, "1_5")), clock, kafka);

    watch.look();
    clock.advance(HangingTransactionWatch.LOOK_AFTER);
    watch.look();
    Optional<String> at90s = watch.hanging();
    clock.advance(HangingTransactionWatch.INTERVAL);
    watch.look();

    assertThat(kafka.asked.get(0)).containsExactly(OFFSETS, MISSIONS, REQUESTS);
    assertThat(at90s).as("last written 90 s ago: it may be live").isEmpty();
    assertThat(watch.hanging()).contains("An open transaction on outage-coordinator-missions-changelog-3 from offset "
        + "1234: producer id 5, epoch 41, coordinator epoch 0, last written 2026-12-07T16:00:00Z (2 min ago), "
        + "transactional id " + ID + " holds up the restore of store missions on this instance (Kafka Streams "
        + "restores up to the changelog's end, reading committed records only), so its task cannot start; no Kafka "
        + "coordinator will end it (the transaction of " + ID + ", Empty, does not include "
        + "outage-coordinator-missions-changelog-3); it counts as hanging, and can be aborted, from "
        + "2026-12-07T16:15:00Z (its last write and the maximum transaction timeout, 15 min); then `groundcontrol "
        + "hanging-transactions --bootstrap-servers 10.0.0.1:9092 --topic-prefix outage --partition "
        + "outage-coordinator-missions-changelog-3 --abort` aborts it as a principal with ClusterAction on the "
        + "cluster (README \"Hanging transactions\")");
  }

  @Test
  void onceOlderThanTheMaximumTimeoutItIsHangingAndTheLineSaysToAbortIt() {
    TestClock clock = new TestClock(START);
    FakeSearch kafka = new FakeSearch(clock, Map.of(REQUESTS, producer(5, 41, 0, 77, START.toEpochMilli())),
        Map.of(), Map.of());
    HangingTransactionWatch watch = new HangingTransactionWatch(OUTAGE, () -> KafkaStreams.State.REBALANCING,
        () -> List.of(Held.input(REQUESTS, "1_5")), clock, kafka);

    watch.look();
    clock.advance(MAX.plusSeconds(1));
    watch.look();

    assertThat(watch.hanging()).contains("A hanging transaction on "
        + "outage-coordinator-admission-requests-repartition-5 from offset 77: producer id 5, epoch 41, coordinator "
        + "epoch 0, last written 2026-12-07T16:00:00Z (15 min ago), transactional id (none listed) holds up task "
        + "1_5 on this instance, which reads it committed: nothing past the transaction's start is read until it "
        + "ends; no Kafka coordinator will end it (no transaction coordinator lists producer id 5); abort it with "
        + "`groundcontrol hanging-transactions --bootstrap-servers 10.0.0.1:9092 --topic-prefix outage --partition "
        + "outage-coordinator-admission-requests-repartition-5 --abort` as a principal with ClusterAction on the "
        + "cluster (README \"Hanging transactions\")");
  }

  @Test
  void oneItsCoordinatorEndsIsNamedWithWhenAndNoCommandOnceItHeldForMinutes() {
    TestClock clock = new TestClock(START);
    long started = START.toEpochMilli();
    FakeSearch kafka = new FakeSearch(clock, Map.of(MISSIONS, producer(5, 41, 0, 1234, started)), Map.of(5L, ID),
        Map.of(ID, Optional.of(description(TransactionState.ONGOING, 5, 41, started, Set.of(MISSIONS)))));
    HangingTransactionWatch watch = new HangingTransactionWatch(OUTAGE, () -> KafkaStreams.State.REBALANCING,
        () -> List.of(Held.changelog(MISSIONS, "missions")), clock, kafka);

    watch.look();
    clock.advance(HangingTransactionWatch.LOOK_AFTER);
    watch.look();
    Optional<String> atFirst = watch.hanging();
    clock.advance(HangingTransactionWatch.HOLDING_AFTER);
    watch.look();

    assertThat(atFirst).as("a live transaction, last written 90 s ago").isEmpty();
    assertThat(watch.hanging()).hasValueSatisfying(line -> assertThat(line)
        .startsWith("An open transaction on outage-coordinator-missions-changelog-3 from offset 1234")
        .endsWith("so its task cannot start; its transaction coordinator aborts it at 2026-12-07T16:20:00Z (its start "
            + "and its timeout, 1200 s) unless its producer ends it first"));
  }

  @Test
  void itLooksOnlyOnceTheStreamsHaveNotRunForAWhileAndForgetsOnceTheyRun() {
    TestClock clock = new TestClock(START);
    FakeSearch kafka = new FakeSearch(clock, Map.of(OFFSETS, producer(0, 862, 0, 4479, START.toEpochMilli())),
        Map.of(), Map.of());
    KafkaStreams.State[] state = {KafkaStreams.State.REBALANCING};
    HangingTransactionWatch watch = new HangingTransactionWatch(OUTAGE, () -> state[0], List::of, clock, kafka);

    watch.look();
    clock.advance(HangingTransactionWatch.LOOK_AFTER.minusSeconds(1));
    watch.look();
    assertThat(kafka.asked).isEmpty();
    clock.advance(MAX);
    watch.look();
    assertThat(watch.hanging()).hasValueSatisfying(line -> assertThat(line).startsWith(
        "A hanging transaction on __consumer_offsets-0 from offset 4479").contains("keeps the committed offsets of "
        + "group outage-coordinator pending (OffsetFetch answers UNSTABLE_OFFSET_COMMIT), so no task of this "
        + "instance can start"));

    state[0] = KafkaStreams.State.RUNNING;
    assertThat(watch.hanging()).isEmpty();
  }

  /**
   * The hang reproduced after a broker stop: a replaced stream thread stuck in the producer's flush,
   * the instance REBALANCING for 25 min, no open transaction holding it, nothing restoring. Once
   * that has lasted {@link HangingTransactionWatch#STUCK_AFTER}, a restart is due; not before.
   */
  @Test
  void streamsRebalancingForMinutesWithNothingHoldingThemAndNothingRestoringMakeARestartDue() {
    TestClock clock = new TestClock(START);
    FakeSearch kafka = new FakeSearch(clock, Map.of(), Map.of(), Map.of());
    KafkaStreams.State[] state = {KafkaStreams.State.REBALANCING};
    HangingTransactionWatch watch = new HangingTransactionWatch(OUTAGE, () -> state[0], List::of,
        () -> Optional.of(START.plusSeconds(20)), clock, kafka);

    watch.look();
    clock.advance(HangingTransactionWatch.STUCK_AFTER.minusSeconds(1));
    watch.look();
    Optional<String> before = watch.restartDue();
    clock.advance(Duration.ofSeconds(30));
    watch.look();

    assertThat(before).as("REBALANCING for 10 min less 1 s").isEmpty();
    assertThat(watch.restartDue()).contains("the streams have been REBALANCING for 10 min (since "
        + "2026-12-07T16:00:00Z) though Kafka answers, no open transaction holds up their tasks, and no store has "
        + "restored records since 2026-12-07T16:00:20Z; a restart of the process is due (a thread dump first shows "
        + "where a stream thread is stuck)");
    assertThat(watch.hanging()).isEmpty();
    state[0] = KafkaStreams.State.RUNNING;
    assertThat(watch.restartDue()).isEmpty();
  }

  /** A long restore is progress, and a transaction holding the tasks is Kafka's to end, not a restart's. */
  @Test
  void aRestoreStillGoingOrAnOpenTransactionHoldingTheTasksMakesNoRestartDue() {
    TestClock clock = new TestClock(START);
    Instant[] restored = {START};
    HangingTransactionWatch restoring = new HangingTransactionWatch(OUTAGE, () -> KafkaStreams.State.REBALANCING,
        List::of, () -> Optional.of(restored[0]), clock, new FakeSearch(clock, Map.of(), Map.of(), Map.of()));
    HangingTransactionWatch held = new HangingTransactionWatch(OUTAGE, () -> KafkaStreams.State.REBALANCING,
        () -> List.of(Held.changelog(MISSIONS, "missions")), clock,
        new FakeSearch(clock, Map.of(MISSIONS, producer(5, 41, 0, 1234, START.toEpochMilli())), Map.of(), Map.of()));

    restoring.look();
    held.look();
    clock.advance(HangingTransactionWatch.STUCK_AFTER.plusMinutes(5));
    restored[0] = clock.instant().minusSeconds(60);
    restoring.look();
    held.look();

    assertThat(restoring.restartDue()).as("a store restored a minute ago").isEmpty();
    assertThat(held.restartDue()).isEmpty();
    assertThat(held.hanging()).isPresent();
  }

  @Test
  void theGravestIsNamedFirstAndALiveTransactionNotAtAll() {
    Instant now = START.plus(MAX).plusSeconds(60);
    Judged live = judged(MISSIONS, now.minusSeconds(5), HangingTransactionRule.Verdict.YOUNG);
    Judged orphan = judged(REQUESTS, now.minus(HangingTransactionWatch.HOLDING_AFTER), HangingTransactionRule.Verdict.YOUNG);
    Judged hanging = judged(OFFSETS, START, HangingTransactionRule.Verdict.HANGING);

    assertThat(HangingTransactionWatch.holding(List.of(live, orphan, hanging), now)).containsExactly(hanging, orphan);
  }

  @Test
  void theCommandNamesAnApplicationIdOfItsOwnAndAsksForAnAdministratorsSettingsOnASecuredCluster() {
    CoordinatorConfig secured = OUTAGE.withTopics(new TopicNames("outage"), "outage-blue")
        .withConnection(new KafkaConnection("10.0.0.1:9093", Map.of("security.protocol", "SASL_SSL")));

    assertThat(HangingTransactionWatch.command(secured, Optional.empty(), false)).isEqualTo("groundcontrol "
        + "hanging-transactions --bootstrap-servers 10.0.0.1:9093 --topic-prefix outage --application-id outage-blue "
        + "--kafka-config ADMIN.properties");
  }

  private static Judged judged(TopicPartition partition, Instant lastWrite, HangingTransactionRule.Verdict verdict) {
    return new Judged(new OpenTransaction(partition, 5, 41, 0, 10, lastWrite.toEpochMilli(), Optional.empty()), verdict,
        Optional.empty());
  }

  private static ProducerState producer(long id, int epoch, int coordinatorEpoch, long start, long lastTimestamp) {
    return new ProducerState(id, epoch, 10, lastTimestamp, OptionalInt.of(coordinatorEpoch), OptionalLong.of(start));
  }

  private static TransactionDescription description(TransactionState state, long producerId, int epoch,
      long startedMs, Set<TopicPartition> partitions) {
    return new TransactionDescription(1, state, producerId, epoch, 1_200_000,
        startedMs == 0 ? OptionalLong.empty() : OptionalLong.of(startedMs), partitions);
  }

  /** Kafka as the Admin API would answer: each partition's producers, the listed ids and their transactions, judged by the rule. */
  private static final class FakeSearch implements HangingTransactionWatch.Search {
    final List<List<TopicPartition>> asked = new ArrayList<>();
    private final Clock clock;
    private final Map<TopicPartition, ProducerState> producers;
    private final Map<Long, String> ids;
    private final Map<String, Optional<TransactionDescription>> descriptions;

    FakeSearch(Clock clock, Map<TopicPartition, ProducerState> producers, Map<Long, String> ids,
        Map<String, Optional<TransactionDescription>> descriptions) {
      this.clock = clock;
      this.producers = producers;
      this.ids = ids;
      this.descriptions = descriptions;
    }

    @Override
    public TopicPartition offsetsPartition(String group) {
      return OFFSETS;
    }

    @Override
    public List<Judged> judge(Collection<TopicPartition> partitions) {
      asked.add(List.copyOf(partitions));
      Map<TopicPartition, List<ProducerState>> found = new java.util.HashMap<>();
      partitions.stream().filter(producers::containsKey).forEach(p -> found.put(p, List.of(producers.get(p))));
      return HangingTransactionRule.judge(HangingTransactionRule.open(found), clock.millis(), MAX, ids, descriptions);
    }

    @Override
    public void close() {}
  }

  /** A clock the test moves. */
  private static final class TestClock extends Clock {
    private Instant now;

    TestClock(Instant now) {
      this.now = now;
    }

    void advance(Duration by) {
      now = now.plus(by);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }
}
