package io.groundcontrol.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.mission.TestPlan;
import io.groundcontrol.schema.MissionEvent;
import io.groundcontrol.schema.MissionFinished;
import io.groundcontrol.testing.GroundcontrolFixture;
import io.groundcontrol.testing.KafkaBrokerExtension;
import io.groundcontrol.worker.api.StageResult;
import io.groundcontrol.worker.api.Worker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.kafka.clients.producer.Partitioner;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.Cluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Workers whose producer puts every report on the wrong partition, as librdkafka's default
 * partitioner does for about half the keys: no mission may hang.
 */
class MisroutedReportsIT {
  @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

  private GroundcontrolFixture groundcontrol;
  private final List<Worker> workers = new ArrayList<>();

  /** The partition after the one Kafka's default partitioner would choose: always wrong with 2 or more. */
  public static final class WrongPartitioner implements Partitioner {
    @Override
    public int partition(String topic, Object key, byte[] keyBytes, Object value, byte[] valueBytes, Cluster cluster) {
      int partitions = cluster.partitionsForTopic(topic).size();
      return (InputRouting.expectedPartition((String) key, partitions) + 1) % partitions;
    }

    @Override
    public void close() {}

    @Override
    public void configure(Map<String, ?> configs) {}
  }

  @AfterEach
  void tearDown() {
    workers.forEach(Worker::close);
    if (groundcontrol != null) {
      groundcontrol.close();
    }
  }

  @Test
  void missionsWhoseReportsAllArriveOnTheWrongPartitionStillFinish() {
    groundcontrol = new GroundcontrolFixture(KAFKA, "misrouted").startCoordinator().apply(TestPlan.diamond().build());
    for (String component : List.of("warehouse", "ml")) {
      workers.add(Worker.builder()
          .component(component)
          .kafkaProperties(Map.of(
              ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, groundcontrol.bootstrapServers(),
              ProducerConfig.PARTITIONER_CLASS_CONFIG, WrongPartitioner.class.getName()))
          .handler(context -> StageResult.finished())
          .parallelism(4)
          .topicNames(groundcontrol.topics())
          .open());
    }
    List<String> missions = IntStream.range(0, 10).mapToObj(n -> "misrouted-" + n).toList();

    missions.forEach(id -> groundcontrol.start(id, "diamond"));

    Map<String, List<MissionEvent>> log = groundcontrol.awaitEnd(missions, Duration.ofSeconds(90));
    assertThat(log.values()).allSatisfy(events ->
        assertThat(events.get(events.size() - 1).getEvent()).isInstanceOf(MissionFinished.class));
  }
}
