package io.groundcontrol.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberAssignment;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.GroupType;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class WorkerHoldTest {
  private static final String TOPIC = "groundcontrol.instructions.alpha";

  @Test
  void aStableGroupWhoseMembersHoldPartitionsOfTheTopicHoldsThem() {
    WorkerHold hold = WorkerHold.of(group(GroupType.CLASSIC, GroupState.STABLE,
        member(new TopicPartition(TOPIC, 1)), member(new TopicPartition(TOPIC, 0), new TopicPartition("other", 0))),
        TOPIC);

    assertThat(hold.held()).isTrue();
    assertThat(hold.partitions()).containsExactly(0, 1);
    assertThat(hold.why()).isEqualTo("members hold partitions [0, 1]");
  }

  @Test
  void aStableGroupHoldingOtherTopicsOnlyHoldsNone() {
    WorkerHold hold = WorkerHold.of(group(GroupType.CLASSIC, GroupState.STABLE,
        member(new TopicPartition("prod.instructions.alpha", 0)), member()), TOPIC);

    assertThat(hold.held()).isFalse();
  }

  /** A classic group in a rebalance describes no assignment, though its members keep theirs until they join again. */
  @Test
  void aRebalancingClassicGroupMayHoldThem() {
    for (GroupState state : List.of(GroupState.PREPARING_REBALANCE, GroupState.COMPLETING_REBALANCE)) {
      WorkerHold hold = WorkerHold.of(group(GroupType.CLASSIC, state, member()), TOPIC);

      assertThat(hold.held()).as(state.toString()).isTrue();
      assertThat(hold.why()).contains("rebalances");
    }
  }

  /** A consumer-protocol group describes each member's current assignment in every state. */
  @Test
  void aReconcilingConsumerGroupTellsByItsMembersAssignments() {
    assertThat(WorkerHold.of(group(GroupType.CONSUMER, GroupState.RECONCILING, member()), TOPIC).held()).isFalse();
    assertThat(WorkerHold.of(group(GroupType.CONSUMER, GroupState.RECONCILING,
        member(new TopicPartition(TOPIC, 1))), TOPIC).partitions()).containsExactly(1);
  }

  @Test
  void anEmptyOrDeadGroupHoldsNone() {
    assertThat(WorkerHold.of(group(GroupType.CLASSIC, GroupState.EMPTY), TOPIC).held()).isFalse();
    assertThat(WorkerHold.of(group(GroupType.CLASSIC, GroupState.DEAD), TOPIC).held()).isFalse();
    assertThat(WorkerHold.of(group(GroupType.CLASSIC, GroupState.PREPARING_REBALANCE), TOPIC).held()).isFalse();
  }

  private static ConsumerGroupDescription group(GroupType type, GroupState state, MemberDescription... members) {
    return new ConsumerGroupDescription("alpha", false, List.of(members), "cooperative-sticky", type, state, null,
        Set.of(), Optional.empty(), Optional.empty());
  }

  private static MemberDescription member(TopicPartition... partitions) {
    return new MemberDescription("m", Optional.empty(), "client", "/host", new MemberAssignment(Set.of(partitions)));
  }
}
