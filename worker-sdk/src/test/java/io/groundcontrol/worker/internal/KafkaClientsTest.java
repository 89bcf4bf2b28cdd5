package io.groundcontrol.worker.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.worker.api.StageResult;
import java.util.Map;
import java.util.List;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.RangeAssignor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The client settings the worker's guarantees rest on. */
class KafkaClientsTest {
  private final WorkerFixture fixture = new WorkerFixture();

  @AfterEach
  void close() {
    fixture.close();
  }

  @Test
  void consumesInTheComponentsGroupCommittingItselfAndReadingOnlyCommittedTransactions() {
    fixture.open(context -> StageResult.finished());

    assertThat(fixture.consumerProperties).containsAllEntriesOf(Map.of(
        "bootstrap.servers", "localhost:9092",
        "group.id", "bigquery",
        "enable.auto.commit", "false",
        "isolation.level", "read_committed",
        "auto.offset.reset", "earliest",
        "partition.assignment.strategy", CooperativeStickyAssignor.class.getName(),
        "client.id", "groundcontrol-worker-worker-1-consumer"));
  }

  /** A paused consumer (its read-ahead full) learns of its topic's deletion from its metadata alone. */
  @Test
  void refreshesItsMetadataEveryTenSecondsUnlessAKafkaPropertySaysOtherwise() {
    fixture.open(context -> StageResult.finished());
    assertThat(fixture.consumerProperties).containsEntry("metadata.max.age.ms", 10_000);
    fixture.close();

    WorkerBuilderImpl given = new WorkerBuilderImpl(fixture.clients());
    given.component("bigquery").kafkaProperties(Map.of("bootstrap.servers", "k:9093", "metadata.max.age.ms", "60000"))
        .handler(context -> StageResult.finished()).workerId("w");
    fixture.worker = given.open();
    assertThat(fixture.consumerProperties).containsEntry("metadata.max.age.ms", "60000");
  }

  /** Range is what librdkafka's default (range,roundrobin) offers too; listing it makes rebalances eager. */
  @Test
  void withEagerRebalancesOffersCooperativeStickyThenRangeForAGroupSharedWithPythonWorkers() {
    fixture.open(context -> StageResult.finished(), options -> options.eagerRebalances());

    assertThat(fixture.consumerProperties).containsEntry("partition.assignment.strategy",
        List.of(CooperativeStickyAssignor.class.getName(), RangeAssignor.class.getName()));
  }

  @Test
  void aDeadWorkersPartitionsMoveWithinTheFailoverTimeoutSixSecondsByDefault() {
    fixture.open(context -> StageResult.finished());

    assertThat(fixture.consumerProperties).containsAllEntriesOf(Map.of(
        "session.timeout.ms", 6_000, "heartbeat.interval.ms", 1_500));
  }

  @Test
  void theFailoverTimeoutSetsTheSessionTimeoutAndAGivenKafkaPropertyWins() {
    WorkerBuilderImpl builder = new WorkerBuilderImpl(fixture.clients());
    builder.component("bigquery").bootstrapServers("localhost:9092").handler(context -> StageResult.finished())
        .workerId("w").failoverTimeout(java.time.Duration.ofSeconds(10));
    fixture.worker = builder.open();
    assertThat(fixture.consumerProperties).containsAllEntriesOf(Map.of(
        "session.timeout.ms", 10_000, "heartbeat.interval.ms", 2_500));
    fixture.close();

    WorkerBuilderImpl given = new WorkerBuilderImpl(fixture.clients());
    given.component("bigquery").kafkaProperties(Map.of("bootstrap.servers", "k:9093", "session.timeout.ms", "45000"))
        .handler(context -> StageResult.finished()).workerId("w");
    fixture.worker = given.open();
    assertThat(fixture.consumerProperties).containsEntry("session.timeout.ms", "45000");
  }

  @Test
  void producesDurablyIdempotentlyByMissionAndWithoutLinger() {
    fixture.open(context -> StageResult.finished());

    assertThat(fixture.producerProperties).containsAllEntriesOf(Map.of(
        "bootstrap.servers", "localhost:9092",
        "acks", "all",
        "enable.idempotence", "true",
        "partitioner.ignore.keys", "false",
        "linger.ms", "0",
        "client.id", "groundcontrol-worker-worker-1-producer"));
    assertThat(fixture.producerProperties).doesNotContainKeys("group.id", "isolation.level");
  }

  @Test
  void passesOtherPropertiesToBothClientsAndLetsDefaultsBeOverridden() {
    WorkerBuilderImpl builder = new WorkerBuilderImpl(fixture.clients());
    builder.component("bigquery")
        .kafkaProperties(Map.of(
            "bootstrap.servers", "k:9093", "security.protocol", "SSL", "auto.offset.reset", "latest",
            "group.protocol", "consumer"))
        .handler(context -> StageResult.finished())
        .workerId("w");
    fixture.worker = builder.open();

    assertThat(fixture.consumerProperties).containsAllEntriesOf(Map.of(
        "bootstrap.servers", "k:9093", "security.protocol", "SSL", "auto.offset.reset", "latest"));
    assertThat(fixture.consumerProperties).doesNotContainKey("partition.assignment.strategy");
    assertThat(fixture.consumerProperties).as("the consumer protocol's session timeout is the broker's")
        .doesNotContainKeys("session.timeout.ms", "heartbeat.interval.ms");
    assertThat(fixture.producerProperties).containsEntry("security.protocol", "SSL");
  }

  @Test
  void givesEachWorkerADifferentDefaultIdStartingWithTheHost() {
    try (WorkerFixture other = new WorkerFixture()) {
      fixture.worker = withDefaultId(fixture).open();
      other.worker = withDefaultId(other).open();

      assertThat(fixture.worker.workerId()).matches(".+-[0-9a-f]{8}");
      assertThat(other.worker.workerId()).isNotEqualTo(fixture.worker.workerId());
    }
  }

  private static WorkerBuilderImpl withDefaultId(WorkerFixture fixture) {
    WorkerBuilderImpl builder = new WorkerBuilderImpl(fixture.clients());
    builder.component("bigquery").bootstrapServers("k:9092").handler(context -> StageResult.finished());
    return builder;
  }
}
