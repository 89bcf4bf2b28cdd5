package io.groundcontrol.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.plan.PlanFiles;
import io.groundcontrol.plan.PlanFiles.Format;
import io.groundcontrol.schema.Plan;
import io.groundcontrol.schema.wire.AvroCodec;
import io.groundcontrol.schema.wire.TopicNames;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.FakeTopicsAdmin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.Test;

/**
 * Instruction topics are created by {@code plan apply}; one deleted since (with the broker not
 * creating topics on use) held up every dispatch to its component. A coordinator that starts
 * creates the instruction topics of the components the latest plans name, as plan apply would; a
 * topic it may not create does not keep it from starting.
 */
class StoredInstructionTopicsTest {
  private static final TopicNames NAMES = new TopicNames("inst");
  private static final PartitionLayout LAYOUT = PartitionLayout.of(CoordinatorTopology.build(
      CoordinatorConfig.defaults("localhost:9092", Path.of("/tmp/unused")).withTopics(NAMES, "inst-coordinator")),
      "inst-coordinator");
  private static final AvroCodec<Plan> PLANS = AvroCodec.of(Plan.class);

  private final Map<String, Integer> topics = new HashMap<>();
  private final List<NewTopic> created = new ArrayList<>();
  private final Admin admin = FakeTopicsAdmin.of(topics, created);

  @Test
  void aStartCreatesTheMissingInstructionTopicsOfStoredPlansWithTheInstallationsPartitionsAndReplicas() {
    // An installation made with 2 partitions; this instance asks for 6, on a cluster of 3 brokers.
    Coordinator.setUpTopics(admin, new TopicSetup(2, (short) 3), NAMES, LAYOUT, Set::of);
    topics.put(NAMES.instructions("bigquery"), 2);
    created.clear();

    Coordinator.setUpTopics(admin, new TopicSetup(6, (short) 3), NAMES, LAYOUT, () -> Set.of("bigquery", "spark"));

    assertThat(created).extracting(NewTopic::name).containsExactly(NAMES.instructions("spark"));
    assertThat(created.get(0).numPartitions()).isEqualTo(2);
    assertThat(created.get(0).replicationFactor()).isEqualTo((short) 3);
  }

  @Test
  void aTopicTheClusterRefusesToCreateIsLeftOutAndTheStartGoesOn() {
    Admin refusing = FakeTopicsAdmin.refusing(topics, created, Map.of(NAMES.instructions("spark"),
        new TopicAuthorizationException("Not authorized to create topic inst.instructions.spark")));

    Coordinator.setUpTopics(refusing, new TopicSetup(2, (short) 1), NAMES, LAYOUT, () -> Set.of("hive", "spark"));

    assertThat(topics).containsKey(NAMES.instructions("hive")).doesNotContainKey(NAMES.instructions("spark"));
  }

  @Test
  void theComponentsAreThoseOfEachPlansLatestVersionNotOfVersionsAnApplyRetired() {
    StoredPlanComponents stored = new StoredPlanComponents();
    stored.record("etl@1", encode("etl", "bigquery"));
    stored.record("etl", encode("etl", "bigquery"));
    stored.record("etl@2", encode("etl", "dbt"));
    stored.record("etl", encode("etl", "dbt"));
    stored.record("ingest@1", encode("ingest", "spark"));
    stored.record("ingest", encode("ingest", "hive"));
    stored.record("gone", encode("gone", "presto"));
    stored.record("gone", null);
    stored.record("broken", new byte[] {1, 2, 3});

    assertThat(stored.components()).containsExactly("dbt", "hive");
  }

  private static byte[] encode(String name, String component) {
    Plan plan = PlanFiles.parse("name: " + name + "\nstages:\n  - name: s\n    component: " + component + "\n",
        "test.yaml", Format.YAML);
    return PLANS.encode(plan);
  }
}
