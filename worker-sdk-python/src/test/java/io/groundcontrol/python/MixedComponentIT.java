package io.groundcontrol.python;

import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.mission.TestPlan;
import io.groundcontrol.schema.MissionCancelled;
import io.groundcontrol.schema.MissionEvent;
import io.groundcontrol.schema.MissionFailed;
import io.groundcontrol.schema.MissionFinished;
import io.groundcontrol.testing.GroundcontrolFixture;
import io.groundcontrol.testing.KafkaBrokerExtension;
import io.groundcontrol.worker.api.StageContext;
import io.groundcontrol.worker.api.StageResult;
import io.groundcontrol.worker.api.Worker;
import io.groundcontrol.worker.api.WorkerBuilderStep1.WorkerBuilderStep4;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Java workers opened with {@code eagerRebalances()} and Python workers serve the same component on a
 * real broker, as a team moving a component from Java to Python runs it: the option rolls in next to
 * a Java worker without it, a Python worker joins, missions run once each on both, and while a batch
 * runs a second Python worker joins and the Java worker leaves, and every mission still finishes.
 */
class MixedComponentIT {
  @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();
  private static final String COMPONENT = "java-and-python";
  private static final Duration WAIT = Duration.ofSeconds(60);
  /**
   * More handlers than twice the gated attempts: a RUN run twice in one worker would not wait for a
   * free one, and neither would the probe behind it.
   */
  private static final int PARALLELISM = 12;

  @TempDir Path marks;
  private GroundcontrolFixture groundcontrol;
  private final List<Worker> javaWorkers = new ArrayList<>();
  private final Map<String, Process> pythons = new HashMap<>();
  private final Map<String, Path> pythonLogs = new HashMap<>();
  /** "worker mission attempt" for each handler call of the Java workers. */
  private final Collection<String> javaRuns = new ConcurrentLinkedQueue<>();
  private final CountDownLatch release = new CountDownLatch(1);

  @BeforeEach
  void setUp() {
    groundcontrol = new GroundcontrolFixture(KAFKA, "mixed").startCoordinator();
    groundcontrol.apply(TestPlan.named("quick").stage("quick", COMPONENT).build());
    groundcontrol.apply(TestPlan.named("gated").stage("gated", COMPONENT).retry(3, 100).build());
  }

  @AfterEach
  void tearDown() throws Exception {
    release.countDown();
    for (Process python : pythons.values()) {
      python.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    javaWorkers.forEach(Worker::close);
    groundcontrol.close();
  }

  @Test
  void javaWorkersWithEagerRebalancesAndPythonWorkersServeOneComponentThroughJoinsAndLeaves() throws Exception {
    Worker unchanged = javaWorker("java-0", false);
    awaitGroup(Set.of("java-0"));
    Worker java = javaWorker("java-1", true);
    assertThat(awaitGroup(Set.of("java-0", "java-1")).partitionAssignor())
        .as("a Java worker without the option still joins, so the option can be rolled out")
        .isEqualTo("cooperative-sticky");
    unchanged.close();
    awaitGroup(Set.of("java-1"));
    startPython("py-1");
    assertThat(awaitGroup(Set.of("java-1", "py-1")).partitionAssignor()).isEqualTo("range");

    List<String> quick = missions("quick", 16);
    Map<String, List<MissionEvent>> quickLog = groundcontrol.awaitEnd(quick, WAIT);
    assertThat(quick).allSatisfy(id -> assertThat(ended(quickLog.get(id))).isInstanceOf(MissionFinished.class));
    Map<String, List<String>> quickRuns = runsByAttempt(quick);
    assertThat(quickRuns).as("with no rebalance, each attempt runs once").hasSize(quick.size())
        .allSatisfy((attempt, workers) -> assertThat(workers).hasSize(1));
    assertThat(quickRuns.values().stream().flatMap(List::stream).collect(Collectors.toSet()))
        .as("both workers ran some").containsExactlyInAnyOrder("java-1", "py-1");

    List<String> gated = missions("gated", 5);
    await(() -> runsByAttempt(gated).size() == gated.size(), "every gated attempt to run");
    assertThat(runsByAttempt(gated).values().stream().flatMap(List::stream).collect(Collectors.toSet()))
        .as("both workers run some while the group rebalances").containsExactlyInAnyOrder("java-1", "py-1");
    Map<String, Set<TopicPartition>> before = assignments(awaitGroup(Set.of("java-1", "py-1")));
    startPython("py-2");
    assertThat(assignments(awaitGroup(Set.of("java-1", "py-1", "py-2"))))
        .as("range gives each its partition back (members by id: java-1, py-1, py-2), and so each reads it"
            + " on from its commit: past the RUNs of the attempts it handed over, again those of any not yet"
            + " known to the coordinator, which it must not run twice")
        .containsAllEntriesOf(before);
    // A RUN behind those on each partition: once it ran, its worker has read whatever it reads again.
    Map<String, String> probes = Map.of(
        probeOn(before.get(clientId("java-1"))), "java-1", probeOn(before.get(clientId("py-1"))), "py-1");
    probes.keySet().forEach(id -> groundcontrol.start(id, "quick"));
    groundcontrol.awaitEnd(probes.keySet(), WAIT);
    assertThat(runsByAttempt(List.copyOf(probes.keySet()))).containsOnlyKeys(
        probes.keySet().stream().map(id -> id + " 1").toList()).allSatisfy((attempt, workers) ->
        assertThat(workers).containsExactly(probes.get(attempt.split(" ")[0])));
    java.close(); // its running attempts are reported failed after the close timeout, and retried
    awaitGroup(Set.of("py-1", "py-2"));
    Files.createFile(marks.resolve("release"));
    release.countDown();

    Map<String, List<MissionEvent>> gatedLog = groundcontrol.awaitEnd(gated, WAIT);
    assertThat(gated).allSatisfy(id -> assertThat(ended(gatedLog.get(id))).isInstanceOf(MissionFinished.class));
    assertThat(runsByAttempt(gated)).as("no worker ran an attempt twice, whatever the rebalances")
        .allSatisfy((attempt, workers) -> assertThat(workers).doesNotHaveDuplicates());
    for (String id : List.copyOf(pythons.keySet())) {
      stopPython(id);
    }
  }

  private Worker javaWorker(String id, boolean eager) {
    WorkerBuilderStep4 builder = Worker.builder()
        .component(COMPONENT)
        .bootstrapServers(groundcontrol.bootstrapServers())
        .handler(context -> run(id, context))
        .parallelism(PARALLELISM)
        .workerId(id)
        .topicNames(groundcontrol.topics())
        .closeTimeout(Duration.ofSeconds(1));
    Worker worker = (eager ? builder.eagerRebalances() : builder).open();
    javaWorkers.add(worker);
    return worker;
  }

  private StageResult run(String worker, StageContext context) throws InterruptedException {
    javaRuns.add(worker + " " + context.missionId() + " " + context.attempt());
    if (context.stage().equals("gated")) {
      release.await();
    }
    return StageResult.finished();
  }

  private void startPython(String id) throws IOException {
    Path log = Files.createTempFile("python-" + id + "-", ".log");
    Process python = PythonWorkerProcesses.startMixedWorker(groundcontrol, marks, COMPONENT, id, PARALLELISM, log);
    pythons.put(id, python);
    pythonLogs.put(id, log);
  }

  private void stopPython(String id) throws Exception {
    PythonWorkerProcesses.stopCleanly(id, pythons.remove(id), pythonLogs.get(id));
  }

  private List<String> missions(String plan, int count) {
    List<String> ids = IntStream.range(0, count).mapToObj(i -> plan + "-" + i).toList();
    ids.forEach(id -> groundcontrol.start(id, plan));
    return ids;
  }

  /** Every run of the missions' attempts, Java's and Python's: "mission attempt" to the workers that ran it. */
  private Map<String, List<String>> runsByAttempt(List<String> missions) throws IOException {
    Stream<String[]> python;
    try (Stream<Path> files = Files.list(marks)) {
      // run-<worker>-<mission>-<attempt>-<hex>, where the worker id and the mission id hold one '-' each
      python = files.map(f -> f.getFileName().toString()).filter(name -> name.startsWith("run-"))
          .map(name -> name.split("-")).map(p -> new String[] {p[1] + "-" + p[2], p[3] + "-" + p[4], p[5]})
          .toList().stream();
    }
    return Stream.concat(python, javaRuns.stream().map(run -> run.split(" ")))
        .filter(run -> missions.contains(run[1]))
        .collect(Collectors.groupingBy(run -> run[1] + " " + run[2], Collectors.mapping(run -> run[0],
            Collectors.toList())));
  }

  /** A mission id whose instructions land on {@code partition}, as the coordinator's producer places them. */
  private static String probeOn(Set<TopicPartition> partition) {
    int number = partition.iterator().next().partition();
    return IntStream.iterate(0, i -> i + 1).mapToObj(i -> "probe-" + i)
        .filter(id -> Utils.toPositive(Utils.murmur2(id.getBytes(StandardCharsets.UTF_8))) % 2 == number)
        .findFirst().orElseThrow();
  }

  private static String clientId(String worker) {
    return "groundcontrol-worker-" + worker + "-consumer";
  }

  private static Map<String, Set<TopicPartition>> assignments(ConsumerGroupDescription group) {
    return group.members().stream().collect(Collectors.toMap(
        MemberDescription::clientId, member -> member.assignment().topicPartitions()));
  }

  /**
   * Waits until exactly these workers are the group's members, the group is stable, and every
   * partition of the component's instructions is assigned.
   */
  private ConsumerGroupDescription awaitGroup(Set<String> workers) throws Exception {
    Set<String> clientIds = workers.stream().map(MixedComponentIT::clientId).collect(Collectors.toSet());
    ConsumerGroupDescription[] seen = new ConsumerGroupDescription[1];
    await(() -> {
      seen[0] = describeGroup();
      return seen[0].groupState() == GroupState.STABLE
          && seen[0].members().stream().map(MemberDescription::clientId).collect(Collectors.toSet()).equals(clientIds)
          && seen[0].members().stream().mapToInt(m -> m.assignment().topicPartitions().size()).sum() == 2;
    }, "the group to be " + workers);
    return seen[0];
  }

  private ConsumerGroupDescription describeGroup() {
    try {
      return KAFKA.admin().describeConsumerGroups(List.of(COMPONENT)).all().get(10, TimeUnit.SECONDS).get(COMPONENT);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private void await(PythonWorkerProcesses.Condition condition, String what) throws Exception {
    PythonWorkerProcesses.await(condition, WAIT, what, () -> "group " + describeGroup() + "; Python logs:\n"
        + pythonLogs.values().stream().map(MixedComponentIT::read).collect(Collectors.joining("\n")));
  }

  private static String read(Path log) {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return e.toString();
    }
  }

  /**
   * How the mission ended; a report of an attempt run twice (once by the worker that lost its
   * partition, once by the one that got it) may follow, rejected as coming after the end.
   */
  private static Object ended(List<MissionEvent> events) {
    return events.stream().map(MissionEvent::getEvent).filter(e -> e instanceof MissionFinished
        || e instanceof MissionFailed || e instanceof MissionCancelled).findFirst().orElse(null);
  }
}
