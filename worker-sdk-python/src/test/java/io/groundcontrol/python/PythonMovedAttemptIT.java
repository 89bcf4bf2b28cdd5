package io.groundcontrol.python;

import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.mission.TestPlan;
import io.groundcontrol.schema.InputRejected;
import io.groundcontrol.schema.StageStarted;
import io.groundcontrol.testing.GroundcontrolFixture;
import io.groundcontrol.testing.KafkaBrokerExtension;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Python worker runs one attempt from each partition of its component, each until cancelled, when a
 * second worker joins and the eager rebalance moves one partition to it (README "Adding or removing a
 * worker while attempts run"): the first worker hands both attempts over (the group's commits pass
 * their RUNs, so the new owner runs neither), and a mission cancel stops both where they run, the
 * moved one's through the first worker's cancel reader.
 */
class PythonMovedAttemptIT {
  @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();
  private static final String COMPONENT = "moving";
  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir Path marks;
  private GroundcontrolFixture groundcontrol;
  private final Map<String, Process> pythons = new HashMap<>();
  private final Map<String, Path> logs = new HashMap<>();

  @BeforeEach
  void setUp() {
    groundcontrol = new GroundcontrolFixture(KAFKA, "moved").startCoordinator();
    groundcontrol.apply(TestPlan.named("blocking").stage("block", COMPONENT).build());
  }

  @AfterEach
  void tearDown() throws Exception {
    for (Process python : pythons.values()) {
      python.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    groundcontrol.close();
  }

  @Test
  void anAttemptWhosePartitionMovesIsHandedOverAndItsCancelStillReachesIt() throws Exception {
    long began = System.nanoTime();
    startPython("py-a");
    awaitGroup(Set.of("py-a"));
    List<String> missions = List.of(missionOn(0), missionOn(1));
    missions.forEach(id -> groundcontrol.start(id, "blocking"));
    await(() -> missions.stream().allMatch(id -> Files.exists(marks.resolve("run-py-a-" + id))), "py-a to run both");
    for (String id : missions) { // the coordinator knows them to run on py-a: they are handed over
      groundcontrol.awaitEvent(id, StageStarted.class, WAIT);
    }

    long joins = System.nanoTime();
    startPython("py-b");
    ConsumerGroupDescription group = awaitGroup(Set.of("py-a", "py-b"));
    assertThat(group.members()).allSatisfy(m -> assertThat(m.assignment().topicPartitions()).hasSize(1));
    int movedPartition = group.members().stream().filter(m -> m.clientId().contains("py-b")).findFirst()
        .orElseThrow().assignment().topicPartitions().iterator().next().partition();
    String moved = missions.get(movedPartition);
    System.out.printf("PythonMovedAttemptIT: py-a ran both %.1f s after it started; py-b had partition %d %.1f s after it"
        + " started%n", (joins - began) / 1e9, movedPartition, (System.nanoTime() - joins) / 1e9);
    Map<TopicPartition, Long> runs = runOffsets(missions);
    Map<TopicPartition, OffsetAndMetadata> committed =
        KAFKA.admin().listConsumerGroupOffsets(COMPONENT).partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
    assertThat(runs).allSatisfy((partition, run) -> assertThat(committed.get(partition).offset())
        .as("the group's commit on %s, whose RUN is at %d", partition, run).isGreaterThan(run));

    long cancelledAt = System.currentTimeMillis();
    missions.forEach(id -> groundcontrol.commands().cancel(id, "test"));
    await(() -> missions.stream().allMatch(id -> Files.exists(marks.resolve("cancelled-py-a-" + id))),
        "both handlers of py-a to see their cancel");
    for (String id : missions) {
      long seen = Long.parseLong(Files.readString(marks.resolve("cancelled-py-a-" + id)).strip());
      System.out.printf("PythonMovedAttemptIT: %s's handler on py-a (its partition %s) saw its cancel %d ms after mission"
          + " cancel%n", id, id.equals(moved) ? "moved" : "stayed", seen - cancelledAt);
      // py-a's cancelled report comes after the mission's end: recorded as rejected.
      groundcontrol.awaitEvent(id, InputRejected.class, WAIT);
    }
    assertThat(Files.readString(logs.get("py-a")))
        .as("the moved attempt's CANCEL was read by py-a's cancel reader")
        .containsOnlyOnce("which moved to another worker while the attempt ran here")
        .contains("Cancelling ('" + moved + "', 'block', 1): its CANCEL was read from");
    try (Stream<Path> files = Files.list(marks)) {
      assertThat(files.map(f -> f.getFileName().toString())).as("py-b ran no handler")
          .noneMatch(name -> name.startsWith("run-py-b"));
    }
    for (String id : List.of("py-a", "py-b")) {
      PythonWorkerProcesses.stopCleanly(id, pythons.remove(id), logs.get(id));
    }
  }

  private void startPython(String id) throws IOException {
    Path log = Files.createTempFile("python-" + id + "-", ".log");
    Process python = new ProcessBuilder(System.getProperty("groundcontrol.python", "python3"),
        Path.of("src", "test", "resources", "moved_worker.py").toAbsolutePath().toString(),
        groundcontrol.bootstrapServers(), groundcontrol.topics().prefix(), marks.toString(), COMPONENT, id)
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    pythons.put(id, python);
    logs.put(id, log);
  }

  /** A mission id whose instructions land on {@code partition}, as the coordinator's producer places them. */
  private static String missionOn(int partition) {
    return IntStream.iterate(0, i -> i + 1).mapToObj(i -> "moved-" + i)
        .filter(id -> Utils.toPositive(Utils.murmur2(id.getBytes(StandardCharsets.UTF_8))) % 2 == partition)
        .findFirst().orElseThrow();
  }

  /** Where each mission's RUN is on the component's instructions topic (its only record so far). */
  private Map<TopicPartition, Long> runOffsets(List<String> missions) throws Exception {
    String topic = groundcontrol.topics().instructions(COMPONENT);
    List<TopicPartition> partitions = List.of(new TopicPartition(topic, 0), new TopicPartition(topic, 1));
    Map<TopicPartition, Long> runs = new HashMap<>();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, groundcontrol.bootstrapServers(),
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new ByteArrayDeserializer(),
        new ByteArrayDeserializer())) {
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (runs.size() < missions.size() && System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          if (missions.contains(new String(record.key(), StandardCharsets.UTF_8))) {
            runs.putIfAbsent(new TopicPartition(record.topic(), record.partition()), record.offset());
          }
        }
      }
    }
    assertThat(runs).as("the RUNs of %s", missions).hasSize(missions.size());
    return runs;
  }

  /** Waits until exactly these workers are the group's members, it is stable, and both partitions are assigned. */
  private ConsumerGroupDescription awaitGroup(Set<String> workers) throws Exception {
    Set<String> clientIds = workers.stream().map(w -> "groundcontrol-worker-" + w + "-consumer")
        .collect(Collectors.toSet());
    ConsumerGroupDescription[] seen = new ConsumerGroupDescription[1];
    await(() -> {
      try {
        seen[0] = KAFKA.admin().describeConsumerGroups(List.of(COMPONENT)).all().get(10, TimeUnit.SECONDS)
            .get(COMPONENT);
      } catch (ExecutionException e) {
        if (e.getCause() instanceof GroupIdNotFoundException) {
          return false; // before the first worker joins
        }
        throw e;
      }
      return seen[0].groupState() == GroupState.STABLE
          && seen[0].members().stream().map(MemberDescription::clientId).collect(Collectors.toSet()).equals(clientIds)
          && seen[0].members().stream().mapToInt(m -> m.assignment().topicPartitions().size()).sum() == 2;
    }, "the group to be " + workers);
    return seen[0];
  }

  private void await(PythonWorkerProcesses.Condition condition, String what) throws Exception {
    PythonWorkerProcesses.await(condition, WAIT, what, () -> {
      StringBuilder text = new StringBuilder("Python logs:");
      for (Path log : logs.values()) {
        text.append('\n').append(Files.readString(log));
      }
      return text.toString();
    });
  }
}
