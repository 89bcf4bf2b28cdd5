package io.groundcontrol.coordinator;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.groundcontrol.schema.wire.TopicNames;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.FakeTopicsAdmin;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Partitions added to one input alone (kafka-topics --alter on mission-commands, the natural way):
 * the inputs' counts now differ, but the coordinator's state is in changelogs of the old count,
 * so the start names the changelog and the way out, not the co-partitioning advice to recreate a
 * topic (which would lose its records, and the next start be refused anyway).
 */
class GrownInputTest {
  private static final TopicNames NAMES = new TopicNames("grow");
  private static final TopicSetup SETUP = new TopicSetup(2, (short) 1);
  private static final PartitionLayout LAYOUT = PartitionLayout.of(CoordinatorTopology.build(
      CoordinatorConfig.defaults("localhost:9092", Path.of("/tmp/unused")).withTopics(NAMES, "grow-coordinator")),
      "grow-coordinator");

  private final Map<String, Integer> topics = new HashMap<>();
  private final Admin admin = FakeTopicsAdmin.of(topics);

  @BeforeEach
  void firstRun() {
    Coordinator.setUpTopics(admin, SETUP, NAMES, LAYOUT, Set::of);
    // The first run's streams created the changelogs with the inputs' count.
    LAYOUT.topics().stream().filter(topic -> topic.endsWith("-changelog")).forEach(topic -> topics.put(topic, 2));
    Coordinator.setUpTopics(admin, SETUP, NAMES, LAYOUT, Set::of);
  }

  @Test
  void missionCommandsGrownAloneIsNamedWithTheChangelogAndTheWayOut() {
    topics.put(NAMES.missionCommands(), 4);

    assertThatThrownBy(() -> Coordinator.setUpTopics(admin, SETUP, NAMES, LAYOUT, Set::of))
        .isInstanceOf(CoordinatorStoppedException.class)
        .hasMessageStartingWith("Topic grow.mission-commands has 4 partitions, but the coordinator's changelog grow-")
        .hasMessageEndingWith("has 2: " + PartitionLayout.WAY_OUT);
  }

  @Test
  void schedulesGrownAloneIsNamedWithTheChangelogAndTheWayOut() {
    topics.put(NAMES.schedules(), 4);

    assertThatThrownBy(() -> Coordinator.setUpTopics(admin, SETUP, NAMES, LAYOUT, Set::of))
        .isInstanceOf(CoordinatorStoppedException.class)
        .hasMessageStartingWith("Topic grow.schedules has 4 partitions, but the coordinator's changelog grow-")
        .hasMessageEndingWith("has 2: " + PartitionLayout.WAY_OUT);
  }
}
