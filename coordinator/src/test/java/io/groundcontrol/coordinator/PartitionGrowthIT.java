package io.groundcontrol.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.groundcontrol.mission.TestPlan;
import io.groundcontrol.schema.wire.TopicNames;
import io.groundcontrol.testing.GroundcontrolFixture;
import io.groundcontrol.testing.KafkaBrokerExtension;
import io.groundcontrol.testing.Poll;
import io.groundcontrol.worker.api.StageResult;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Partitions added to the mission-keyed topics, consistently (so they stay co-partitioned), cannot
 * be followed by the stores' changelogs: the coordinator refuses, naming the changelog and the way
 * out, rather than failing every rebalance while it looks RUNNING.
 */
class PartitionGrowthIT {
  @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

  private GroundcontrolFixture groundcontrol;

  @AfterEach
  void tearDown() {
    if (groundcontrol != null) {
      groundcontrol.close();
    }
  }

  @Test
  void aStartAfterPartitionsWereAddedIsRefused() throws Exception {
    groundcontrol = new GroundcontrolFixture(KAFKA, "grow").startCoordinator();
    groundcontrol.stopCoordinator();

    growMissionTopics();

    assertThatThrownBy(() -> Coordinator.start(groundcontrol.coordinatorConfig(), new TopicSetup(4, (short) 1),
            Duration.ofSeconds(45)).close())
        .isInstanceOf(CoordinatorStoppedException.class)
        .hasMessageContaining("has 4 partitions, but the coordinator's changelog")
        .hasMessageContaining("has 2: partitions cannot be added to a running installation's topics");
  }

  @Test
  void aStartAfterPartitionsWereAddedToTheCommandsTopicAloneIsRefusedWithTheSameLine() throws Exception {
    groundcontrol = new GroundcontrolFixture(KAFKA, "growone").startCoordinator();
    groundcontrol.stopCoordinator();

    KAFKA.admin().createPartitions(Map.of(groundcontrol.topics().missionCommands(), NewPartitions.increaseTo(4)))
        .all().get();

    // Not the co-partitioning advice to recreate the other inputs, which would lose their records.
    assertThatThrownBy(() -> Coordinator.start(groundcontrol.coordinatorConfig(), new TopicSetup(2, (short) 1),
            Duration.ofSeconds(45)).close())
        .isInstanceOf(CoordinatorStoppedException.class)
        .hasMessageStartingWith("Topic " + groundcontrol.topics().missionCommands() + " has 4 partitions, but the "
            + "coordinator's changelog")
        .hasMessageContaining("has 2: partitions cannot be added to a running installation's topics");
  }

  @Test
  void partitionsAddedWhileRunningStopTheCoordinatorWithTheReason() throws Exception {
    groundcontrol = new GroundcontrolFixture(KAFKA, "growlive").apply(TestPlan.diamond().build());
    Coordinator coordinator = Coordinator.start(
        groundcontrol.coordinatorConfig().withOverride("metadata.max.age.ms", "2000"), new TopicSetup(2, (short) 1),
        Duration.ofSeconds(60));
    try {
      groundcontrol.worker("warehouse", 1, context -> StageResult.finished());
      groundcontrol.worker("ml", 1, context -> StageResult.finished());
      groundcontrol.start("before", "diamond");
      groundcontrol.awaitEnd(List.of("before"), Duration.ofSeconds(60));

      growMissionTopics();

      Poll.until(() -> coordinator.stopped().isPresent(), Duration.ofSeconds(60), "the coordinator's refusal");
      assertThat(coordinator.stopped().orElseThrow()).contains("partitions cannot be added");
      Poll.until(() -> coordinator.streams().state() == KafkaStreams.State.ERROR, Duration.ofSeconds(30),
          "the streams to stop (readiness DOWN)");
    } finally {
      coordinator.close();
    }
  }

  private void growMissionTopics() throws Exception {
    TopicNames names = groundcontrol.topics();
    Map<String, NewPartitions> grow = new HashMap<>();
    for (String topic : List.of(names.missionCommands(), names.stageReports(), names.resultsAnswers(),
        names.admissionGrants(), names.missionAdmissions())) {
      grow.put(topic, NewPartitions.increaseTo(4));
    }
    KAFKA.admin().createPartitions(grow).all().get();
  }
}
