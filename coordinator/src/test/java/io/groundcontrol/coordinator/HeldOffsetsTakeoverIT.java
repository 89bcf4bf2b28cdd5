package io.groundcontrol.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.client.KeyPartitions;
import io.groundcontrol.mission.TestPlan;
import io.groundcontrol.schema.MissionEvent;
import io.groundcontrol.schema.MissionFinished;
import io.groundcontrol.testing.GroundcontrolFixture;
import io.groundcontrol.testing.KafkaBrokerExtension;
import io.groundcontrol.testing.Poll;
import io.groundcontrol.testing.TestDirs;
import io.groundcontrol.worker.api.StageResult;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.TaskMetadata;
import org.apache.kafka.streams.ThreadMetadata;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An instance taking over a lost one's partition whose committed offsets an open transaction still
 * holds (the lost instance's, until the broker aborts it): README, Failover time.
 */
class HeldOffsetsTakeoverIT {
  @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

  private GroundcontrolFixture groundcontrol;
  private Coordinator other;
  private KafkaProducer<byte[], byte[]> lost;

  @AfterEach
  void tearDown() {
    if (lost != null) {
      lost.close(Duration.ZERO);
    }
    if (other != null) {
      other.close();
    }
    if (groundcontrol != null) {
      groundcontrol.close();
    }
  }

  /**
   * Kafka answers the moved task's committed offsets only once that transaction ends. The survivor
   * used to wait for the answer on its stream thread for up to a minute (Kafka's default), with its
   * own missions stopped; it now sets the task aside after half a second and asks again on each loop.
   */
  @Test
  void theSurvivorsOwnMissionsGoOnWhileTheMovedPartitionsOffsetsAreHeld() {
    groundcontrol = new GroundcontrolFixture(KAFKA, "heldoffsets").startCoordinator()
        .apply(TestPlan.named("p").stage("work", "etl").build());
    groundcontrol.worker("etl", 4, context -> StageResult.finished());
    other = Coordinator.start(
        GroundcontrolFixture.failingOverQuickly(groundcontrol.coordinatorConfig().withStateDir(TestDirs.create("gc-other-"))),
        new TopicSetup(2, (short) 1), Duration.ofSeconds(60));
    Poll.until(() -> !tasks(other.streams()).isEmpty(), Duration.ofSeconds(60),
        "the second instance to run tasks of its own");
    Set<TopicPartition> moved = held(tasks(other.streams()));
    lost = holdOffsets(moved, groundcontrol.coordinatorConfig().applicationId());
    List<Integer> movedMissions = moved.stream()
        .filter(partition -> partition.topic().equals(groundcontrol.topics().missionCommands()))
        .map(TopicPartition::partition).toList();
    assertThat(movedMissions).as("mission partitions the second instance took").hasSizeLessThan(2);
    int ownPartition = movedMissions.contains(0) ? 1 : 0;

    other.close();
    other = null;
    KafkaStreams survivor = groundcontrol.coordinator().streams();
    Poll.until(() -> survivor.state() == KafkaStreams.State.REBALANCING, Duration.ofSeconds(30),
        "the survivor to take the closed instance's tasks over");
    // Two waves one after the other: the second starts once the moved task surely asks for its offsets.
    long started = System.nanoTime();
    Map<String, List<MissionEvent>> ended = new HashMap<>();
    for (String wave : List.of("own-a", "own-b")) {
      List<String> own = missionsOn(ownPartition, wave, 3);
      own.forEach(id -> groundcontrol.start(id, "p"));
      ended.putAll(groundcontrol.awaitEnd(own, Duration.ofSeconds(30)));
      System.out.printf("wave %s ended %.1f s after the first began%n", wave, (System.nanoTime() - started) / 1e9);
    }
    double ownSeconds = (System.nanoTime() - started) / 1e9;
    assertThat(survivor.state()).as("the moved task still waits for the held offsets")
        .isEqualTo(KafkaStreams.State.REBALANCING);

    List<String> later = missionsOn(1 - ownPartition, "later", 2);
    later.forEach(id -> groundcontrol.start(id, "p"));
    lost.abortTransaction();
    long aborted = System.nanoTime();
    Poll.until(() -> survivor.state() == KafkaStreams.State.RUNNING, Duration.ofSeconds(30),
        "the moved tasks to run once the transaction that held their offsets ended");
    double movedSeconds = (System.nanoTime() - aborted) / 1e9;
    ended.putAll(groundcontrol.awaitEnd(later, Duration.ofSeconds(30)));
    System.out.printf("own missions ended in %.1f s with the moved tasks' offsets held (%s); the moved tasks ran "
        + "%.1f s after the abort%n", ownSeconds, moved, movedSeconds);
    assertThat(ended.values())
        .allSatisfy(log -> assertThat(log).anyMatch(event -> event.getEvent() instanceof MissionFinished));
  }

  /** A transaction left open on the group's committed offsets of {@code partitions}, as a lost instance leaves one. */
  private KafkaProducer<byte[], byte[]> holdOffsets(Set<TopicPartition> partitions, String group) {
    KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, groundcontrol.bootstrapServers(),
        ProducerConfig.TRANSACTIONAL_ID_CONFIG, group + "-lost-instance",
        ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 120_000),
        new ByteArraySerializer(), new ByteArraySerializer());
    producer.initTransactions();
    producer.beginTransaction();
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    partitions.forEach(partition -> offsets.put(partition, new OffsetAndMetadata(0)));
    producer.sendOffsetsToTransaction(offsets, new ConsumerGroupMetadata(group));
    return producer;
  }

  /** The tasks {@code streams} runs. */
  private static List<TaskMetadata> tasks(KafkaStreams streams) {
    return streams.metadataForLocalThreads().stream().map(ThreadMetadata::activeTasks).flatMap(Set::stream).toList();
  }

  /**
   * The input partitions of one of {@code tasks}, a missions task's if there is one: a lost
   * instance's last transaction holds the offsets of the tasks that had read something since the
   * commit before, the missions' under load.
   */
  private Set<TopicPartition> held(List<TaskMetadata> tasks) {
    String missions = groundcontrol.topics().missionCommands();
    return tasks.stream().map(TaskMetadata::topicPartitions)
        .max(Comparator.comparing(partitions -> partitions.stream().anyMatch(p -> p.topic().equals(missions))))
        .orElseThrow();
  }

  private static List<String> missionsOn(int partition, String prefix, int count) {
    return IntStream.iterate(0, i -> i + 1).mapToObj(i -> prefix + "-" + i)
        .filter(id -> KeyPartitions.of(id, 2) == partition).limit(count).toList();
  }
}
