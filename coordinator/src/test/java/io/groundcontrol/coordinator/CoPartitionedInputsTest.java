package io.groundcontrol.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.kafka.streams.TopologyDescription;
import org.junit.jupiter.api.Test;

/**
 * Kafka Streams does not hold the plain sources of one stateful sub-topology to one partition
 * count; a record on a partition that does not hold its key's state is lost or waits for ever. So
 * every such group of sources is created and checked together by {@link TopicSetup}.
 */
class CoPartitionedInputsTest {
  private static final CoordinatorConfig CONFIG = CoordinatorConfig.defaults("x:9092", Path.of("/tmp/unused"));

  @Test
  void everyStatefulSubtopologyReadingSeveralTopicsHasThemCheckedAtStart() {
    Set<Set<String>> checked = TopicSetup.coPartitioned(CONFIG.topics()).stream().map(group -> {
      Set<String> topics = new TreeSet<>(group.members().keySet());
      topics.add(group.anchor());
      return topics;
    }).collect(Collectors.toSet());

    Set<Set<String>> needed = new java.util.HashSet<>();
    for (TopologyDescription.Subtopology subtopology : CoordinatorTopology.build(CONFIG).describe().subtopologies()) {
      Set<String> sources = new TreeSet<>();
      boolean stateful = false;
      for (TopologyDescription.Node node : subtopology.nodes()) {
        if (node instanceof TopologyDescription.Source source) {
          sources.addAll(source.topicSet());
        } else if (node instanceof TopologyDescription.Processor processor) {
          stateful |= !processor.stores().isEmpty();
        }
      }
      if (stateful && sources.size() > 1) {
        needed.add(sources);
      }
    }

    assertThat(needed).hasSize(2);
    assertThat(checked).containsExactlyInAnyOrderElementsOf(needed);
  }
}
