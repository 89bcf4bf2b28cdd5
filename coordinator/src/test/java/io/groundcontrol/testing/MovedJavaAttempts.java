package io.groundcontrol.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.mission.TestPlan;
import io.groundcontrol.schema.StageStarted;
import io.groundcontrol.worker.api.StageHandler;
import io.groundcontrol.worker.api.StageResult;
import io.groundcontrol.worker.api.Worker;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.common.TopicPartition;

/**
 * README "Adding or removing a worker while attempts run", for Java workers, on the installation a
 * test gives (plaintext, or secured with each role's ACLs): a worker joins a component while another
 * runs its long attempts; the partition that moves takes no attempt with it (the first worker
 * committed their RUNs as it gave it up, the coordinator knowing they had started), so the newcomer
 * runs none of them again, and a cancel of each still stops it where it runs, read by the first
 * worker's cancel reader.
 */
public final class MovedJavaAttempts implements AutoCloseable {
  private static final Duration WAIT = Duration.ofSeconds(60);
  /** The coordinators of the tests make instruction topics of two partitions. */
  private static final int PARTITIONS = 2;

  private final GroundcontrolFixture groundcontrol;
  private final ComponentGroup group;
  private final CountDownLatch release = new CountDownLatch(1);

  /**
   * @param admin allowed to describe the component's group and topic
   * @param component a component no other worker serves, whose workers' login may read it
   */
  public MovedJavaAttempts(GroundcontrolFixture groundcontrol, Admin admin, String component) {
    this.groundcontrol = groundcontrol;
    this.group = new ComponentGroup(admin, component, groundcontrol.topics().instructions(component));
  }

  /**
   * Runs {@code perPartition} missions on each partition of the component, of a plan of one stage
   * there, with missions named {@code component-N}, and checks what the class says.
   */
  public void check(int perPartition) {
    String component = group.component();
    String plan = component + "-plan";
    groundcontrol.apply(TestPlan.named(plan).stage("train", component, Map.of()).build());
    List<String> missions = IntStream.range(0, PARTITIONS)
        .mapToObj(p -> group.missionsOn(p, PARTITIONS, component, perPartition)).flatMap(List::stream).toList();
    Set<String> ranByFirst = ConcurrentHashMap.newKeySet();
    Set<String> ranByJoiner = ConcurrentHashMap.newKeySet();
    Map<String, Long> cancelledAt = new ConcurrentHashMap<>();
    Worker first = groundcontrol.worker(component, missions.size(), blocking(ranByFirst, cancelledAt));
    missions.forEach(id -> groundcontrol.start(id, plan));
    groundcontrol.awaitEach(missions, StageStarted.class, WAIT);

    Worker joiner = groundcontrol.worker(component, missions.size(), blocking(ranByJoiner, new ConcurrentHashMap<>()));
    ConsumerGroupDescription both = group.awaitMembers(Set.of(first.workerId(), joiner.workerId()), PARTITIONS, WAIT);
    Set<TopicPartition> moved = ComponentGroup.partitionsOf(both, joiner.workerId());
    List<String> movedMissions = missions.stream().filter(id -> moved.contains(group.partitionOf(id, PARTITIONS)))
        .toList();
    assertThat(movedMissions).as("missions on the partitions that moved").isNotEmpty();
    group.assertCommittedPastEveryRecord(moved);

    long cancelAt = System.nanoTime();
    movedMissions.forEach(id -> groundcontrol.commands().cancel(id, "test"));
    groundcontrol.awaitEnd(movedMissions, WAIT);
    Poll.until(() -> cancelledAt.keySet().containsAll(movedMissions), WAIT,
        "the first worker's handlers of the moved missions to see their cancel");

    long slowest = movedMissions.stream().mapToLong(id -> cancelledAt.get(id) - cancelAt).max().orElseThrow();
    System.out.printf("moved attempts (%s): %d of %d missions on %d moved partitions; cancel to the first worker's "
        + "handler: at most %d ms%n", component, movedMissions.size(), missions.size(), moved.size(),
        slowest / 1_000_000);
    assertThat(ranByJoiner).as("attempts the joiner ran").isEmpty();
    assertThat(ranByFirst).containsExactlyInAnyOrderElementsOf(missions);
    assertThat(first.isOpen()).isTrue();
    assertThat(joiner.isOpen()).isTrue();
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

  /** Ends the attempts still running, so that their workers close at once. */
  @Override
  public void close() {
    release.countDown();
  }
}
