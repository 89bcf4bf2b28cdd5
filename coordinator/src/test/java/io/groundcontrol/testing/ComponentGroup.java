package io.groundcontrol.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.utils.Utils;

/**
 * A component's consumer group and instructions topic, as an administrator sees them: who holds which
 * partition, what the group committed, and where a mission's instructions land.
 *
 * @param admin an admin client allowed to describe the group and the topic (a super user's on a secured cluster)
 * @param topic the component's instructions topic
 */
public record ComponentGroup(Admin admin, String component, String topic) {
  private static final long ASK_SECONDS = 10;

  /**
   * Waits until the group is stable with exactly {@code workerIds} as members (Java or Python workers,
   * whose consumers' client ids name them) and every one of the topic's {@code partitions} assigned.
   */
  public ConsumerGroupDescription awaitMembers(Set<String> workerIds, int partitions, Duration wait) {
    Set<String> clientIds = workerIds.stream().map(ComponentGroup::consumerClientId).collect(Collectors.toSet());
    long deadline = System.nanoTime() + wait.toNanos();
    ConsumerGroupDescription group = null;
    while (System.nanoTime() < deadline) {
      group = describe();
      if (group != null && group.groupState() == GroupState.STABLE
          && group.members().stream().map(MemberDescription::clientId).collect(Collectors.toSet()).equals(clientIds)
          && group.members().stream().mapToInt(m -> m.assignment().topicPartitions().size()).sum() == partitions) {
        return group;
      }
      // Polling pace: the group's state decides, and there is nothing to wait on.
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
    }
    throw new AssertionError("The group " + component + " was not stable with " + workerIds + " holding its "
        + partitions + " partitions within " + wait + "; last seen: " + group);
  }

  /** The partitions {@code group} assigned to worker {@code workerId}. */
  public static Set<TopicPartition> partitionsOf(ConsumerGroupDescription group, String workerId) {
    return group.members().stream()
        .filter(member -> member.clientId().equals(consumerClientId(workerId)))
        .flatMap(member -> member.assignment().topicPartitions().stream())
        .collect(Collectors.toSet());
  }

  /** The client id of worker {@code workerId}'s group consumer, as both SDKs name it. */
  private static String consumerClientId(String workerId) {
    return "groundcontrol-worker-" + workerId + "-consumer";
  }

  private ConsumerGroupDescription describe() {
    try {
      return admin.describeConsumerGroups(List.of(component)).all().get(ASK_SECONDS, TimeUnit.SECONDS).get(component);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof GroupIdNotFoundException) {
        return null; // before the first worker joins
      }
      throw new IllegalStateException("Could not describe group " + component, e);
    } catch (Exception e) {
      throw new IllegalStateException("Could not describe group " + component, e);
    }
  }

  /**
   * Checks that the group committed, on each of {@code partitions}, past every record a read_committed
   * reader sees: what may follow is the last transaction's commit marker alone.
   */
  public void assertCommittedPastEveryRecord(Set<TopicPartition> partitions) {
    Map<TopicPartition, Long> committed = committed();
    ends(partitions).forEach((partition, end) -> assertThat(committed.get(partition))
        .as("the offset group %s committed on %s, whose end is %d", component, partition, end)
        .isNotNull().isGreaterThanOrEqualTo(end - 1));
  }

  private Map<TopicPartition, Long> committed() {
    try {
      return admin.listConsumerGroupOffsets(component).partitionsToOffsetAndMetadata()
          .get(ASK_SECONDS, TimeUnit.SECONDS).entrySet().stream().filter(e -> e.getValue() != null)
          .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    } catch (Exception e) {
      throw new IllegalStateException("Could not read the offsets of group " + component, e);
    }
  }

  private Map<TopicPartition, Long> ends(Set<TopicPartition> partitions) {
    try {
      return admin.listOffsets(partitions.stream().collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest())),
              new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
          .all().get(ASK_SECONDS, TimeUnit.SECONDS).entrySet().stream()
          .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    } catch (Exception e) {
      throw new IllegalStateException("Could not read the end offsets of " + partitions, e);
    }
  }

  /** The partition of the topic, of {@code partitions}, that the coordinator writes a mission's instructions to. */
  public TopicPartition partitionOf(String missionId, int partitions) {
    // Instructions are keyed by mission id with the default partitioner.
    return new TopicPartition(topic, Utils.toPositive(Utils.murmur2(missionId.getBytes(StandardCharsets.UTF_8)))
        % partitions);
  }

  /** The first {@code count} mission ids {@code base-0}, {@code base-1}, ... whose instructions land on {@code partition}. */
  public List<String> missionsOn(int partition, int partitions, String base, int count) {
    return IntStream.iterate(0, i -> i + 1).mapToObj(i -> base + "-" + i)
        .filter(id -> partitionOf(id, partitions).partition() == partition)
        .limit(count).toList();
  }
}
