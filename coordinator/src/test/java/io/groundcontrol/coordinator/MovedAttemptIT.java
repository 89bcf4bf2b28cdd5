package io.groundcontrol.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.mission.TestPlan;
import io.groundcontrol.schema.StageStarted;
import io.groundcontrol.testing.GroundcontrolFixture;
import io.groundcontrol.testing.KafkaBrokerExtension;
import io.groundcontrol.worker.api.StageHandler;
import io.groundcontrol.worker.api.StageResult;
import io.groundcontrol.worker.api.Worker;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A worker joins a component while another runs its long attempts: the partitions that move take
 * no attempt with them (the first worker committed their RUNs as it gave them up, the coordinator
 * knowing they had started), so the newcomer runs none of them again, and a cancel of one still
 * stops it where it runs.
 */
class MovedAttemptIT {
  @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();
  private static final String COMPONENT = "mlmoved";
  private static final int MISSIONS = 12;
  private static final Duration WAIT = Duration.ofSeconds(60);

  private GroundcontrolFixture groundcontrol;
  private final CountDownLatch release = new CountDownLatch(1);

  @AfterEach
  void tearDown() {
    release.countDown();
    if (groundcontrol != null) {
      groundcontrol.close();
    }
  }

  /** Runs until released or cancelled; records who ran what and whose handler saw a cancel. */
  private StageHandler blocking(Set<String> ran, Map<String, Long> cancelledAt) {
    return context -> {
      ran.add(context.missionId());
      try {
        release.await();
      } catch (InterruptedException e) {
        cancelledAt.put(context.missionId(), System.nanoTime());
        throw e;
      }
      return StageResult.finished();
    };
  }

  @Test
  void aWorkerThatJoinsWhileAttemptsRunRunsNoneOfThemAgainAndTheirCancelsStillReachThem() throws Exception {
    groundcontrol = new GroundcontrolFixture(KAFKA, "moved").startCoordinator()
        .apply(TestPlan.named("p").stage("train", COMPONENT, Map.of()).build());
    Set<String> ranByFirst = ConcurrentHashMap.newKeySet();
    Set<String> ranByJoiner = ConcurrentHashMap.newKeySet();
    Map<String, Long> cancelledAt = new ConcurrentHashMap<>();
    Worker first = groundcontrol.worker(COMPONENT, MISSIONS, blocking(ranByFirst, cancelledAt));
    List<String> missions = IntStream.range(0, MISSIONS).mapToObj(i -> "m-" + i).toList();
    missions.forEach(id -> groundcontrol.start(id, "p"));
    groundcontrol.awaitEventCount(StageStarted.class, MISSIONS, WAIT);

    Worker joiner = groundcontrol.worker(COMPONENT, MISSIONS, blocking(ranByJoiner, new ConcurrentHashMap<>()));
    Set<TopicPartition> moved = awaitPartitionsOf(joiner.workerId());

    List<String> movedMissions = missions.stream()
        .filter(id -> moved.contains(instructionPartition(id))).toList();
    assertThat(movedMissions).as("missions on the partitions that moved").isNotEmpty();
    Map<TopicPartition, Long> committed = committedOffsets();
    Map<TopicPartition, Long> ends = endOffsets(moved);
    // Past every record: what may follow the last RUN is its transaction's commit marker alone.
    movedMissions.stream().map(this::instructionPartition).distinct().forEach(partition ->
        assertThat(committed.get(partition)).as("the committed offset of %s, which moved to the joiner", partition)
            .isGreaterThanOrEqualTo(ends.get(partition) - 1));

    long cancelAt = System.nanoTime();
    movedMissions.forEach(id -> groundcontrol.commands().cancel(id, "test"));
    groundcontrol.awaitEnd(movedMissions, WAIT);
    awaitAll("the first worker's handlers of the moved missions saw their cancel",
        () -> cancelledAt.keySet().containsAll(movedMissions));

    long slowest = movedMissions.stream().mapToLong(id -> cancelledAt.get(id) - cancelAt).max().orElseThrow();
    System.out.printf("moved attempts: %d of %d missions on %d moved partitions; cancel to the first worker's "
        + "handler: at most %d ms%n", movedMissions.size(), MISSIONS, moved.size(), slowest / 1_000_000);
    assertThat(ranByJoiner).as("attempts the joiner ran").isEmpty();
    assertThat(ranByFirst).containsExactlyInAnyOrderElementsOf(missions);
    assertThat(first.isOpen()).isTrue();
  }

  /** The partitions the group gave {@code workerId}'s consumer once it is stable with them. */
  private Set<TopicPartition> awaitPartitionsOf(String workerId) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      ConsumerGroupDescription group = KAFKA.admin().describeConsumerGroups(List.of(COMPONENT))
          .describedGroups().get(COMPONENT).get();
      Set<TopicPartition> assigned = group.members().stream()
          .filter(member -> member.clientId().contains(workerId))
          .map(MemberDescription::assignment).flatMap(a -> a.topicPartitions().stream())
          .collect(Collectors.toSet());
      if (group.groupState() == GroupState.STABLE && !assigned.isEmpty()) {
        return assigned;
      }
      Thread.sleep(100); // polling the group's state: there is nothing to wait on
    }
    throw new AssertionError("worker " + workerId + " got no partitions of " + COMPONENT + " within " + WAIT);
  }

  private Map<TopicPartition, Long> committedOffsets() throws Exception {
    return KAFKA.admin().listConsumerGroupOffsets(COMPONENT).partitionsToOffsetAndMetadata().get().entrySet()
        .stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
  }

  private Map<TopicPartition, Long> endOffsets(Set<TopicPartition> partitions) throws Exception {
    return KAFKA.admin().listOffsets(partitions.stream().collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest())),
            new org.apache.kafka.clients.admin.ListOffsetsOptions(org.apache.kafka.common.IsolationLevel.READ_COMMITTED))
        .all().get().entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
  }

  private TopicPartition instructionPartition(String missionId) {
    // Instructions are keyed by mission id with the default partitioner.
    String topic = groundcontrol.topics().instructions(COMPONENT);
    int partitions = KAFKA.admin().describeTopics(List.of(topic)).topicNameValues().get(topic)
        .toCompletionStage().toCompletableFuture().join().partitions().size();
    int partition = org.apache.kafka.common.utils.Utils.toPositive(
        org.apache.kafka.common.utils.Utils.murmur2(missionId.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
        % partitions;
    return new TopicPartition(topic, partition);
  }

  private static void awaitAll(String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("Timed out waiting until " + what);
      }
      Thread.sleep(20);
    }
  }
}
