package io.groundcontrol.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kafka Streams' internal topics (the stores' changelogs) get as many replicas as Groundcontrol's
 * own topics: left to the broker's default, a stock 3-broker cluster keeps the mission store on one.
 */
class TopicSetupTest {
  @Test
  void theStoresAreReplicatedThreeTimesOnAThreeBrokerCluster() {
    Properties streams = new Properties();

    TopicSetup.forBrokers(6, 3).replicateInternalTopics(streams);

    assertThat(streams).containsEntry(StreamsConfig.REPLICATION_FACTOR_CONFIG, 3);
  }

  @Test
  void theStoresTakeOneReplicaPerBrokerUpToThree() {
    assertThat(replication(TopicSetup.forBrokers(6, 1))).isEqualTo(1);
    assertThat(replication(TopicSetup.forBrokers(6, 2))).isEqualTo(2);
    assertThat(replication(TopicSetup.forBrokers(6, 7))).isEqualTo(3);
  }

  @Test
  void anOperatorsReplicationFactorWins() {
    Properties streams = new Properties();
    streams.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, "2");

    TopicSetup.forBrokers(6, 5).replicateInternalTopics(streams);

    assertThat(streams).containsEntry(StreamsConfig.REPLICATION_FACTOR_CONFIG, "2");
  }

  @Test
  void aCoordinatorStartsKafkaStreamsWithTheSetupsReplication(@TempDir Path stateDir) {
    CoordinatorConfig config = CoordinatorConfig.defaults("localhost:9092", stateDir);

    Properties streams = Coordinator.streamsProperties(config, TopicSetup.forBrokers(6, 3));

    assertThat(new StreamsConfig(streams).getInt(StreamsConfig.REPLICATION_FACTOR_CONFIG)).isEqualTo(3);
  }

  private static Object replication(TopicSetup setup) {
    Properties streams = new Properties();
    setup.replicateInternalTopics(streams);
    return streams.get(StreamsConfig.REPLICATION_FACTOR_CONFIG);
  }
}
