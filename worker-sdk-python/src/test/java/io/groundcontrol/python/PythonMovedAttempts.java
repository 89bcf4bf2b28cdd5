package io.groundcontrol.python;

import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.mission.TestPlan;
import io.groundcontrol.schema.InputRejected;
import io.groundcontrol.schema.StageStarted;
import io.groundcontrol.testing.ComponentGroup;
import io.groundcontrol.testing.GroundcontrolFixture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;

/**
 * README "Adding or removing a worker while attempts run", for Python workers, on the installation a
 * test gives (plaintext, or secured with the worker role's ACLs): a worker ({@code moved_worker.py})
 * runs one attempt from each partition of its component, each until cancelled, when a second worker
 * joins and the eager rebalance moves one partition to it. The first worker hands both attempts over
 * (the group's commits pass their RUNs, so the new owner runs neither), and a mission cancel stops both
 * where they run, the moved one's through the first worker's cancel reader.
 */
final class PythonMovedAttempts implements AutoCloseable {
  private static final Duration WAIT = Duration.ofSeconds(60);
  /** The coordinators of the tests make instruction topics of two partitions. */
  private static final int PARTITIONS = 2;

  private final GroundcontrolFixture groundcontrol;
  private final ComponentGroup group;
  private final String kafka;
  private final Path marks;
  private final Map<String, Process> pythons = new HashMap<>();
  private final Map<String, Path> logs = new HashMap<>();

  /**
   * @param admin allowed to describe the component's group and topic
   * @param component a component no other worker serves
   * @param kafka how the Python workers reach Kafka: its bootstrap servers, or {@code @} and a librdkafka
   *     properties file
   * @param marks an empty folder, where the workers' handlers say what they ran and saw
   */
  PythonMovedAttempts(GroundcontrolFixture groundcontrol, Admin admin, String component, String kafka, Path marks) {
    this.groundcontrol = groundcontrol;
    this.group = new ComponentGroup(admin, component, groundcontrol.topics().instructions(component));
    this.kafka = kafka;
    this.marks = marks;
  }

  /** Runs the missions {@code component-N}, one on each partition, of a plan of one stage 'block'. */
  void check() throws Exception {
    String plan = group.component() + "-plan";
    groundcontrol.apply(TestPlan.named(plan).stage("block", group.component()).build());
    long began = System.nanoTime();
    startPython("py-a");
    awaitGroup(Set.of("py-a"));
    List<String> missions = List.of(missionOn(0), missionOn(1));
    missions.forEach(id -> groundcontrol.start(id, plan));
    await(() -> missions.stream().allMatch(id -> Files.exists(marks.resolve("run-py-a-" + id))), "py-a to run both");
    // The coordinator knows them to run on py-a: they are handed over.
    groundcontrol.awaitEach(missions, StageStarted.class, WAIT);

    long joins = System.nanoTime();
    startPython("py-b");
    ConsumerGroupDescription both = awaitGroup(Set.of("py-a", "py-b"));
    assertThat(both.members()).allSatisfy(m -> assertThat(m.assignment().topicPartitions()).hasSize(1));
    int movedPartition = ComponentGroup.partitionsOf(both, "py-b").iterator().next().partition();
    String moved = missions.get(movedPartition);
    System.out.printf("PythonMovedAttempts (%s): py-a ran both %.1f s after it started; py-b had partition %d %.1f s "
        + "after it started%n", kafka, (joins - began) / 1e9, movedPartition, (System.nanoTime() - joins) / 1e9);
    // Each partition's one record is its mission's RUN: both were committed past.
    group.assertCommittedPastEveryRecord(Set.of(group.partitionOf(missions.get(0), PARTITIONS),
        group.partitionOf(missions.get(1), PARTITIONS)));

    long cancelledAt = System.currentTimeMillis();
    missions.forEach(id -> groundcontrol.commands().cancel(id, "test"));
    await(() -> missions.stream().allMatch(id -> Files.exists(marks.resolve("cancelled-py-a-" + id))),
        "both handlers of py-a to see their cancel");
    for (String id : missions) {
      long seen = Long.parseLong(Files.readString(marks.resolve("cancelled-py-a-" + id)).strip());
      System.out.printf("PythonMovedAttempts: %s's handler on py-a (its partition %s) saw its cancel %d ms after "
          + "mission cancel%n", id, id.equals(moved) ? "moved" : "stayed", seen - cancelledAt);
      // py-a's cancelled report comes after the mission's end: recorded as rejected.
      groundcontrol.awaitEvent(id, InputRejected.class, WAIT);
    }
    assertThat(Files.readString(logs.get("py-a")))
        .as("the moved attempt's CANCEL was read by py-a's cancel reader")
        .containsOnlyOnce("which moved to another worker while the attempt ran here")
        .contains("Cancelling ('" + moved + "', 'block', 1): its CANCEL was read from")
        .doesNotContain("Could not read the CANCELs");
    try (Stream<Path> files = Files.list(marks)) {
      assertThat(files.map(f -> f.getFileName().toString())).as("py-b ran no handler")
          .noneMatch(name -> name.startsWith("run-py-b"));
    }
    for (String id : List.of("py-a", "py-b")) {
      PythonWorkerProcesses.stopCleanly(id, pythons.remove(id), logs.get(id));
    }
  }

  private String missionOn(int partition) {
    return group.missionsOn(partition, PARTITIONS, group.component(), 1).get(0);
  }

  private void startPython(String id) throws IOException {
    Path log = Files.createTempFile("python-" + id + "-", ".log");
    Process python = new ProcessBuilder(System.getProperty("groundcontrol.python", "python3"),
        Path.of("src", "test", "resources", "moved_worker.py").toAbsolutePath().toString(),
        kafka, groundcontrol.topics().prefix(), marks.toString(), group.component(), id)
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    pythons.put(id, python);
    logs.put(id, log);
  }

  private ConsumerGroupDescription awaitGroup(Set<String> workers) throws IOException {
    try {
      return group.awaitMembers(workers, PARTITIONS, WAIT);
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "; " + pythonLogs(), e);
    }
  }

  private void await(PythonWorkerProcesses.Condition condition, String what) throws Exception {
    PythonWorkerProcesses.await(condition, WAIT, what, this::pythonLogs);
  }

  private String pythonLogs() throws IOException {
    StringBuilder text = new StringBuilder("Python logs:");
    for (Path log : logs.values()) {
      text.append('\n').append(Files.readString(log));
    }
    return text.toString();
  }

  /** Kills the workers still running (after a failure). */
  @Override
  public void close() {
    for (Process python : pythons.values()) {
      try {
        python.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
