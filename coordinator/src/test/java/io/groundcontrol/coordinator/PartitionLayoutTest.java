package io.groundcontrol.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.schema.wire.TopicNames;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.FakeTopicsAdmin;
import org.apache.kafka.streams.errors.MissingSourceTopicException;
import org.apache.kafka.streams.errors.StreamsException;
import org.junit.jupiter.api.Test;

/**
 * Each stateful sub-topology's changelogs keep the partition count its inputs had when they were
 * created; partitions added to the inputs later leave Kafka Streams failing every rebalance.
 */
class PartitionLayoutTest {
  private static final CoordinatorConfig CONFIG = CoordinatorConfig.defaults("x:9092", Path.of("/tmp/unused"));
  private static final TopicNames NAMES = CONFIG.topics();
  private static final PartitionLayout LAYOUT = PartitionLayout.of(CoordinatorTopology.build(CONFIG), "app");

  @Test
  void topicsAsCreatedPassTheCheck() {
    assertThat(LAYOUT.problem(everyTopicWith(2))).isEmpty();
  }

  @Test
  void aFreshInstallationHasNoChangelogsYet() {
    Map<String, Integer> partitions = everyTopicWith(2);
    partitions.keySet().removeIf(topic -> topic.endsWith("-changelog"));
    partitions.put(NAMES.missionCommands(), 6);

    assertThat(LAYOUT.problem(partitions)).isEmpty();
  }

  @Test
  void partitionsAddedToTheMissionTopicsAreRefusedNamingTheChangelogAndBothCounts() {
    Map<String, Integer> partitions = everyTopicWith(2);
    for (String topic : List.of(NAMES.missionCommands(), NAMES.stageReports(), NAMES.resultsAnswers(),
        NAMES.admissionGrants(), NAMES.missionAdmissions())) {
      partitions.put(topic, 4);
    }

    assertThat(LAYOUT.problem(partitions)).hasValueSatisfying(problem -> assertThat(problem)
        .matches("Topic \\S+ has 4 partitions, but the coordinator's changelog app-[a-z-]+-changelog, created with its "
            + "inputs, has 2: partitions cannot be added .*")
        .contains("--topic-prefix and --application-id"));
  }

  @Test
  void partitionsAddedToTheSchedulesAreRefusedToo() {
    Map<String, Integer> partitions = everyTopicWith(2);
    partitions.put(NAMES.schedules(), 3);

    assertThat(LAYOUT.problem(partitions)).hasValueSatisfying(problem -> assertThat(problem)
        .startsWith("Topic " + NAMES.schedules() + " has 3 partitions, but the coordinator's changelog app-"));
  }

  @Test
  void aDeletedInputIsNamed() {
    Map<String, Integer> partitions = everyTopicWith(2);
    partitions.remove(NAMES.admissionRequests());

    assertThat(LAYOUT.problem(partitions)).hasValue("Expected the coordinator's input topics ["
        + NAMES.admissionRequests() + "] to exist, but they do not (deleted while it ran?); a coordinator that starts "
        + "creates missing topics again, empty");
  }

  @Test
  void aSourceNotListedYetByALaggingBrokerIsListedAgainBeforeItCountsAsMissing() {
    int[] listings = {0};
    Admin admin = FakeTopicsAdmin.of(everyTopicWith(2), names -> {
      listings[0]++;
      Set<String> listed = new HashSet<>(names);
      if (listings[0] <= 2) {
        // Created a moment ago: the broker that answers has not applied it yet.
        listed.remove(NAMES.admissionRequests());
      }
      return listed;
    });

    assertThat(LAYOUT.check(admin)).isEmpty();
    assertThat(listings[0]).isEqualTo(3);
  }

  @Test
  void kafkaStreamsAnswersToAChangedLayoutAreRecognised() {
    StreamsException invalid = new StreamsException("Existing internal topic app-timers-changelog has invalid "
        + "partitions: expected: 4; actual: 2. Use 'org.apache.kafka.tools.StreamsResetter' tool to clean up invalid "
        + "topics before processing.");

    assertThat(PartitionLayout.concerns(new StreamsException(invalid))).isTrue();
    assertThat(PartitionLayout.concerns(new MissingSourceTopicException("One or more source topics were missing"))).isTrue();
    assertThat(PartitionLayout.concerns(new StreamsException("broker gone"))).isFalse();
    assertThat(PartitionLayout.fallback(invalid)).hasValue("Existing internal topic app-timers-changelog has invalid "
        + "partitions: expected: 4; actual: 2: " + PartitionLayout.WAY_OUT);
    assertThat(PartitionLayout.fallback(new MissingSourceTopicException("missing"))).isEmpty();
  }

  private static Map<String, Integer> everyTopicWith(int count) {
    Map<String, Integer> partitions = new HashMap<>();
    LAYOUT.topics().forEach(topic -> partitions.put(topic, count));
    return partitions;
  }
}
