package io.groundcontrol.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.mission.EventAppliers;
import io.groundcontrol.mission.Mission;
import io.groundcontrol.mission.TestPlan;
import io.groundcontrol.schema.InputRejected;
import io.groundcontrol.schema.MissionEvent;
import io.groundcontrol.schema.MissionFinished;
import io.groundcontrol.schema.MissionStarted;
import io.groundcontrol.schema.MissionStatus;
import io.groundcontrol.schema.StageDispatched;
import io.groundcontrol.schema.StageFailed;
import io.groundcontrol.schema.StageFinished;
import io.groundcontrol.schema.StageStarted;
import io.groundcontrol.testing.CliProcess;
import io.groundcontrol.testing.GroundcontrolFixture;
import io.groundcontrol.testing.KafkaBrokerExtension;
import io.groundcontrol.testing.TestDirs;
import io.groundcontrol.worker.api.StageResult;
import io.groundcontrol.worker.api.Worker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.MemberDescription;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Processes killed with SIGKILL mid-work: nothing is lost, nothing is done twice. */
class FailureRecoveryIT {
  @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

  private GroundcontrolFixture groundcontrol;
  private CliProcess child;

  @AfterEach
  void tearDown() {
    if (child != null) {
      child.kill();
    }
    if (groundcontrol != null) {
      groundcontrol.close();
    }
    if (child != null) {
      assertThat(child.loggedErrors()).as("errors the child logged").isEmpty();
    }
  }

  private static <T> List<T> eventsOf(List<MissionEvent> log, Class<T> type) {
    return log.stream().map(MissionEvent::getEvent).filter(type::isInstance).map(type::cast).toList();
  }

  @Test
  void aWorkerKilledMidStageIsDeclaredLostAndTheStageRetriedOnAnotherWorker() {
    groundcontrol = new GroundcontrolFixture(KAFKA, "killworker").startCoordinator().apply(TestPlan.named("p")
        .stage("slow", "chaos", Map.of("work_ms", "600000")).retry(3, 100).build());
    child = CliProcess.start("workers", "--bootstrap-servers", groundcontrol.bootstrapServers(),
        "--topic-prefix", groundcontrol.topics().prefix(), "--component", "chaos", "--parallelism", "1",
        "--heartbeat-interval", "PT0.2S", "--kafka-property", "session.timeout.ms=6000",
        "--kafka-property", "heartbeat.interval.ms=1000");
    child.awaitOutput("Example workers for [chaos]", CliProcess.START);

    groundcontrol.start("m-1", "p");
    groundcontrol.awaitEvent("m-1", StageStarted.class, Duration.ofSeconds(30));
    child.kill();
    Worker survivor = groundcontrol.worker("chaos", 1, context -> StageResult.finished().output("attempt", "" + context.attempt()));
    List<MissionEvent> log = groundcontrol.awaitEnd(List.of("m-1"), Duration.ofSeconds(60)).get("m-1");

    Mission mission = new EventAppliers().replay(log);
    assertThat(mission.status()).isEqualTo(MissionStatus.FINISHED);
    assertThat(eventsOf(log, StageFailed.class)).singleElement().satisfies(failed -> {
      assertThat(failed.getAttempt()).isEqualTo(1);
      assertThat(failed.getError().getMessage()).startsWith("worker lost: no heartbeat from worker ");
    });
    assertThat(eventsOf(log, StageFinished.class)).singleElement().satisfies(finished -> {
      assertThat(finished.getAttempt()).isEqualTo(2);
      assertThat(finished.getWorker()).as("the survivor reported only the outcome").isEqualTo(survivor.workerId());
    });
    assertThat(eventsOf(log, StageStarted.class)).as("only the killed worker's start").singleElement()
        .satisfies(started -> assertThat(started.getAttempt()).isEqualTo(1));
    assertThat(mission.stage("slow").orElseThrow().worker()).hasValue(survivor.workerId());
  }

  @Test
  void aCoordinatorKilledWith200MissionsInFlightLosesAndRepeatsNothing() throws Exception {
    groundcontrol = new GroundcontrolFixture(KAFKA, "killcoord");
    child = CliProcess.start(groundcontrol.coordinatorCommandFailingOverQuickly(TestDirs.create("gc-child-state-")));
    child.awaitOutput("running against", CliProcess.START);
    groundcontrol.apply(TestPlan.diamond().build());
    AtomicInteger handled = new AtomicInteger();
    for (String component : List.of("warehouse", "ml")) {
      groundcontrol.worker(component, 8, context -> {
        handled.incrementAndGet();
        Thread.sleep(5);
        return StageResult.finished();
      });
    }
    List<String> missions = IntStream.range(0, 200).mapToObj(i -> "m-" + i).toList();
    missions.forEach(id -> groundcontrol.start(id, "diamond"));

    groundcontrol.awaitEventCount(StageFinished.class, 200, Duration.ofSeconds(60));
    child.kill();
    int handledAtKill = handled.get();
    groundcontrol.startCoordinator(TestDirs.create("gc-restarted-state-"));
    Map<String, List<MissionEvent>> log = groundcontrol.awaitEnd(missions, Duration.ofSeconds(120));

    System.out.printf("coordinator killed after %d of 1000 stages had run; all 200 missions finished after restart%n",
        handledAtKill);
    assertThat(handledAtKill).as("killed mid-way").isBetween(1, 999);
    for (String id : missions) {
      List<MissionEvent> events = log.get(id);
      assertThat(events).extracting(MissionEvent::getSequence).as("sequence of " + id)
          .containsExactlyElementsOf(LongStream.rangeClosed(1, events.size()).boxed().toList());
      assertThat(eventsOf(events, MissionStarted.class)).hasSize(1);
      assertThat(eventsOf(events, MissionFinished.class)).hasSize(1);
      assertThat(eventsOf(events, InputRejected.class)).as("no duplicate report of " + id).isEmpty();
      List<StageDispatched> dispatches = eventsOf(events, StageDispatched.class);
      Set<String> attempts = new HashSet<>();
      dispatches.forEach(d -> assertThat(attempts.add(d.getStage() + "#" + d.getAttempt()))
          .as("dispatched once: " + d.getStage() + " of " + id).isTrue());
      assertThat(dispatches).hasSize(5).allSatisfy(d -> assertThat(d.getAttempt()).isEqualTo(1));
      assertThat(new EventAppliers().replay(events).status()).isEqualTo(MissionStatus.FINISHED);
    }
  }

  /**
   * Killed and restarted on its state dir, a coordinator comes back as the same static member of
   * its consumer group, so it takes its partitions back without waiting for the killed
   * incarnation's session to expire, and missions go on through it.
   */
  @Test
  void aCoordinatorRestartedOnItsStateDirRejoinsAsTheSameMember() throws Exception {
    groundcontrol = new GroundcontrolFixture(KAFKA, "staticmember");
    String group = groundcontrol.coordinatorConfig().applicationId();
    Path stateDir = TestDirs.create("gc-static-state-");
    child = CliProcess.start(groundcontrol.coordinatorCommand(stateDir));
    child.awaitOutput("running against", CliProcess.START);
    String instanceId = Files.readString(stateDir.resolve(group + ".instance-id")).strip();
    assertThat(members(group)).containsExactly(instanceId + "-1");

    child.kill();
    long restarting = System.nanoTime();
    child = CliProcess.start(groundcontrol.coordinatorCommand(stateDir));
    child.awaitOutput("running against", CliProcess.START);
    System.out.printf("restarted coordinator running %.1f s after the kill%n", (System.nanoTime() - restarting) / 1e9);

    assertThat(members(group)).containsExactly(instanceId + "-1");
    groundcontrol.apply(TestPlan.named("after-restart").stage("work", "etl").build());
    groundcontrol.worker("etl", 1, context -> StageResult.finished());
    groundcontrol.start("m-after", "after-restart");
    assertThat(groundcontrol.awaitEnd(List.of("m-after"), Duration.ofSeconds(60)).get("m-after"))
        .anyMatch(event -> event.getEvent() instanceof MissionFinished);
  }

  /** The group instance ids of the group's members. */
  private List<String> members(String group) throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", groundcontrol.bootstrapServers()))) {
      return admin.describeConsumerGroups(List.of(group)).all().get().get(group).members().stream()
          .map(MemberDescription::groupInstanceId).map(id -> id.orElse("(dynamic)")).toList();
    }
  }
}
