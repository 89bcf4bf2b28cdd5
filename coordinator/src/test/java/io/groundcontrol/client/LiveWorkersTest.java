package io.groundcontrol.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.schema.wire.TopicNames;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.admin.MemberAssignment;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class LiveWorkersTest {
  private static final String OURS = new TopicNames("a").instructions("ml");
  private static final String THEIRS = new TopicNames("b").instructions("ml");

  private static MemberDescription member(Set<TopicPartition> assigned, Optional<Set<TopicPartition>> target) {
    return new MemberDescription("m-1", Optional.empty(), "groundcontrol-worker-w-1-consumer", "/10.0.0.1",
        new MemberAssignment(assigned), target.map(MemberAssignment::new));
  }

  @Test
  void aMemberHoldingAPartitionOfThisInstallationsTopicIsAWorkerOfIt() {
    assertThat(LiveWorkers.worksFor(member(Set.of(new TopicPartition(OURS, 2)), Optional.empty()), OURS)).isTrue();
    assertThat(LiveWorkers.worksFor(
        member(Set.of(new TopicPartition(THEIRS, 0), new TopicPartition(OURS, 0)), Optional.empty()), OURS)).isTrue();
  }

  @Test
  void aMemberHoldingOnlyAnotherPrefixsPartitionsIsAnotherInstallationsWorker() {
    assertThat(LiveWorkers.worksFor(member(Set.of(new TopicPartition(THEIRS, 0)), Optional.empty()), OURS)).isFalse();
    assertThat(LiveWorkers.worksFor(
        member(Set.of(), Optional.of(Set.of(new TopicPartition(THEIRS, 1)))), OURS)).isFalse();
  }

  @Test
  void aMemberBeingGivenThisInstallationsPartitionsCountsBeforeItHoldsThem() {
    assertThat(LiveWorkers.worksFor(
        member(Set.of(new TopicPartition(THEIRS, 0)), Optional.of(Set.of(new TopicPartition(OURS, 0)))), OURS))
        .isTrue();
  }

  @Test
  void aMemberHoldingNothingCountsSoARebalanceDoesNotReportNoLiveWorker() {
    assertThat(LiveWorkers.worksFor(member(Set.of(), Optional.empty()), OURS)).isTrue();
    assertThat(LiveWorkers.worksFor(member(Set.of(), Optional.of(Set.of())), OURS)).isTrue();
  }

  @Test
  void anSdkClientIdNamesTheWorker() {
    assertThat(LiveWorkers.workerId("groundcontrol-worker-w-1-consumer")).isEqualTo("w-1");
    assertThat(LiveWorkers.workerId("my-own-client")).isEqualTo("my-own-client");
  }
}
