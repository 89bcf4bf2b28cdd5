package io.groundcontrol.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.streams.TopologyDescription;
import org.junit.jupiter.api.Test;

/**
 * Task ids are sub-topology id and partition: a task directory, its checkpoint and its standbys are
 * found by them. Adding or removing an event trigger's topic must not renumber the other sub-topologies.
 */
class SubtopologyIdsTest {
  private static final CoordinatorConfig CONFIG = CoordinatorConfig.defaults("x:9092", Path.of("/tmp/unused"));

  @Test
  void triggerTopicsLeaveTheOtherSubtopologiesIdsAlone() {
    Map<String, Integer> without = idsBySources(Set.of());
    Map<String, Integer> with = idsBySources(Set.of("exports", "orders"));

    Map<String, Integer> others = new TreeMap<>(with);
    others.remove("[trigger-topics]");
    assertThat(with).containsKey("[trigger-topics]");
    assertThat(others).isEqualTo(without);
  }

  @Test
  void aDeploymentWithoutTriggerTopicsKeepsItsTaskIds() {
    // Renumbering any of these makes every instance restore those stores from scratch on upgrade.
    assertThat(idsBySources(Set.of())).containsExactlyInAnyOrderEntriesOf(Map.of(
        "[admission-grants, mission-admissions, mission-commands, results-answers, stage-reports]", 2,
        "[schedule-commands-source, scheduled-mission-status-source, schedules-source]", 3,
        "[trigger-matches-source]", 5,
        "[results-in]", 6,
        "[admission-requests-source]", 7,
        "[mission-admission-requests-source]", 8));
  }

  /** Each sub-topology's id, named by its source nodes. */
  private static Map<String, Integer> idsBySources(Set<String> triggerTopics) {
    Map<String, Integer> ids = new TreeMap<>();
    for (TopologyDescription.Subtopology subtopology :
        CoordinatorTopology.build(CONFIG, triggerTopics).describe().subtopologies()) {
      Set<String> sources = new TreeSet<>();
      subtopology.nodes().stream().filter(node -> node instanceof TopologyDescription.Source)
          .forEach(node -> sources.add(node.name()));
      ids.put(sources.toString(), subtopology.id());
    }
    return ids;
  }
}
