package io.groundcontrol.coordinator;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.GroupType;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.GroupIdNotFoundException;

/**
 * Whether the workers of a component may still hold partitions of its instruction topic, as the
 * broker's group coordinator describes the component's consumer group (whose id is the component).
 * {@link InstructionTopicWatch} asks it of a deleted topic before creating it again: a worker's
 * consumer that still holds a partition keeps its read position, and would read the new topic from
 * there, past the instructions written below it. A group under the consumer protocol describes no
 * partition of a deleted topic (it knows them by topic id, which no longer has a name), and needs no
 * wait: its members read a topic created again from its start.
 *
 * @param held whether a worker may hold one: false only when the group was seen without any
 * @param partitions the partitions seen held, if any
 * @param why what was seen, in words, for a log line
 */
record WorkerHold(boolean held, Set<Integer> partitions, String why) {
  private static final long DESCRIBE_TIMEOUT_MS = 5_000;

  static WorkerHold none(String why) {
    return new WorkerHold(false, Set.of(), why);
  }

  /**
   * What {@code group} holds of {@code topic}. A classic group in a rebalance describes no member's
   * assignment, though its members keep theirs until they join again (all of it under the
   * cooperative protocol, the Java SDK's default): only a stable one, or an empty one, tells.
   */
  static WorkerHold of(ConsumerGroupDescription group, String topic) {
    GroupState state = group.groupState();
    if (state == GroupState.EMPTY || state == GroupState.DEAD || group.members().isEmpty()) {
      return none("no member");
    }
    Set<Integer> partitions = new TreeSet<>();
    for (MemberDescription member : group.members()) {
      for (TopicPartition partition : member.assignment().topicPartitions()) {
        if (partition.topic().equals(topic)) {
          partitions.add(partition.partition());
        }
      }
    }
    if (!partitions.isEmpty()) {
      return new WorkerHold(true, partitions, "members hold partitions " + partitions);
    }
    if (group.type() == GroupType.CLASSIC && state != GroupState.STABLE) {
      return new WorkerHold(true, Set.of(), "the group rebalances (" + state + ")");
    }
    return none("no member holds a partition of it");
  }

  /**
   * Describes {@code group}. A group this principal may not describe is not waited for (that will
   * not change by waiting); one that did not answer is.
   */
  static WorkerHold describe(Admin admin, String group, String topic) {
    try {
      return of(admin.describeConsumerGroups(List.of(group)).describedGroups().get(group)
          .get(DESCRIBE_TIMEOUT_MS, TimeUnit.MILLISECONDS), topic);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof GroupIdNotFoundException) {
        return none("no such group");
      }
      if (e.getCause() instanceof GroupAuthorizationException) {
        return none("not allowed to describe the group (Describe on group " + group + ")");
      }
      return new WorkerHold(true, Set.of(), "could not describe the group: " + e.getCause().getMessage());
    } catch (TimeoutException e) {
      return new WorkerHold(true, Set.of(), "the group was not described within " + DESCRIBE_TIMEOUT_MS + " ms");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new WorkerHold(true, Set.of(), "interrupted"); // closing: create nothing
    }
  }
}
