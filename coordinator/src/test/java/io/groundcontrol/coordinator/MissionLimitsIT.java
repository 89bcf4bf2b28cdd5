package io.groundcontrol.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.mission.TestPlan;
import io.groundcontrol.schema.InputRejected;
import io.groundcontrol.schema.MissionAdmitted;
import io.groundcontrol.schema.MissionEvent;
import io.groundcontrol.schema.MissionFinished;
import io.groundcontrol.schema.MissionWaiting;
import io.groundcontrol.schema.StageDispatched;
import io.groundcontrol.schema.StageFinished;
import io.groundcontrol.schema.StageStarted;
import io.groundcontrol.testing.CliProcess;
import io.groundcontrol.testing.GroundcontrolFixture;
import io.groundcontrol.testing.KafkaBrokerExtension;
import io.groundcontrol.testing.TestDirs;
import io.groundcontrol.worker.api.StageResult;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code max_active_missions} on a real broker: a plan limited to 2 active missions, two
 * coordinator processes sharing 4 partitions (so the missions of the plan live on different
 * partitions and instances), a burst of 50 starts and workers with far more capacity than 2. The
 * limit is measured by the workers' own counter and from the event log; then again with one
 * coordinator SIGKILLed mid-run.
 */
class MissionLimitsIT {
  @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

  private static final int LIMIT = 2;
  private static final int MISSIONS = Integer.getInteger("limits.it.missions", 50);

  private GroundcontrolFixture groundcontrol;
  private final List<CliProcess> coordinators = new ArrayList<>();
  private final Set<String> running = ConcurrentHashMap.newKeySet();
  private final AtomicInteger mostRunning = new AtomicInteger();
  private final AtomicInteger handled = new AtomicInteger();

  @AfterEach
  void tearDown() {
    coordinators.forEach(CliProcess::kill);
    if (groundcontrol != null) {
      groundcontrol.close();
    }
    for (CliProcess coordinator : coordinators) {
      assertThat(coordinator.loggedErrors()).as("errors a coordinator logged").isEmpty();
    }
  }

  private void startTwoCoordinators(String name) throws Exception {
    groundcontrol = new GroundcontrolFixture(KAFKA, name);
    for (int i = 0; i < 2; i++) {
      List<String> args = new ArrayList<>(List.of(
          groundcontrol.coordinatorCommandFailingOverQuickly(TestDirs.create("gc-limits-" + i + "-"))));
      args.set(args.indexOf("--partitions") + 1, "4");
      coordinators.add(CliProcess.start(args.toArray(String[]::new)));
    }
    // Started together: they join the group at once, and the run waits for neither alone.
    for (CliProcess child : coordinators) {
      child.awaitOutput("running against", CliProcess.START);
    }
    groundcontrol.apply(TestPlan.named("nightly").stage("load", "sql").maxActiveMissions(LIMIT).build());
    groundcontrol.worker("sql", 16, context -> {
      running.add(context.missionId());
      mostRunning.accumulateAndGet(running.size(), Math::max);
      try {
        // The work itself, long enough for a started report: the SDK sends one from its poll loop
        // once the attempt has run 100 ms, and that loop wakes every 100 ms, so an attempt that
        // began just after a wake-up is first seen at 99 ms and next at 199 ms or later; 200 ms
        // lost that race on a slow host (no StageStarted in the log at all).
        Thread.sleep(400);
      } finally {
        running.remove(context.missionId());
        handled.incrementAndGet();
      }
      return StageResult.finished();
    });
  }

  @Test
  void aBurstNeverRunsMoreThanTheLimitAcrossInstancesAndEveryMissionFinishes() throws Exception {
    startTwoCoordinators("limits");
    List<String> missions = startBurst(MISSIONS);

    Instant began = Instant.now();
    Map<String, List<MissionEvent>> log = groundcontrol.awaitEnd(missions, Duration.ofMinutes(6));
    System.out.printf("max_active_missions %d: %d missions over two coordinator instances in %s; workers saw at most %d "
        + "missions at once%n", LIMIT, MISSIONS, Duration.between(began, Instant.now()), mostRunning.get());

    assertAllFinishedOnceWithinTheLimit(missions, log);
  }

  @Test
  void killingOneInstanceMidRunKeepsTheLimitAndLosesNothing() throws Exception {
    startTwoCoordinators("limits-kill");
    List<String> missions = startBurst(MISSIONS);

    groundcontrol.awaitEventCount(MissionFinished.class, MISSIONS / 4, Duration.ofMinutes(4));
    coordinators.get(0).kill();
    int handledAtKill = handled.get();
    Map<String, List<MissionEvent>> log = groundcontrol.awaitEnd(missions, Duration.ofMinutes(6));
    System.out.printf("max_active_missions %d: one of two coordinator instances SIGKILLed after %d of %d missions; "
        + "workers saw at most %d missions at once%n", LIMIT, handledAtKill, MISSIONS, mostRunning.get());

    assertThat(handledAtKill).as("killed mid-run").isLessThan(MISSIONS);
    assertAllFinishedOnceWithinTheLimit(missions, log);
  }

  private List<String> startBurst(int count) {
    List<String> missions = IntStream.range(0, count).mapToObj(i -> "n-" + i).toList();
    missions.forEach(id -> groundcontrol.start(id, "nightly"));
    return missions;
  }

  private void assertAllFinishedOnceWithinTheLimit(List<String> missions, Map<String, List<MissionEvent>> log) {
    assertThat(mostRunning.get()).as("most missions running at once, by the workers' counter").isBetween(1, LIMIT);
    List<MissionEvent> all = new ArrayList<>();
    int waited = 0;
    for (String id : missions) {
      List<MissionEvent> events = log.get(id);
      assertThat(events).extracting(MissionEvent::getEvent).as("events of " + id)
          .hasAtLeastOneElementOfType(MissionFinished.class)
          .noneMatch(InputRejected.class::isInstance)
          .filteredOn(MissionAdmitted.class::isInstance).as("admitted once: " + id).hasSize(1);
      assertThat(events).extracting(MissionEvent::getEvent).filteredOn(StageDispatched.class::isInstance)
          .as("dispatched once: " + id).hasSize(1);
      waited += events.stream().anyMatch(e -> e.getEvent() instanceof MissionWaiting w && w.getActive() != null) ? 1 : 0;
      all.addAll(events);
    }
    assertThat(waited).as("missions told they wait behind the limit").isGreaterThan(0);
    assertThat(mostAtOnceInTheLog(all)).as("most missions running at once, by the event log").isBetween(1, LIMIT);
  }

  /**
   * Replays starts (+1, at the time the worker began) and finishes (-1, at the time of the finish
   * report) of the one-stage missions in time order; both are the workers' clock. A mission is
   * admitted only after an end was read, which is after its finish report was written, so at equal
   * times the finish counts first.
   */
  private static int mostAtOnceInTheLog(List<MissionEvent> events) {
    record Change(Instant at, int delta) {}
    List<Change> changes = new ArrayList<>();
    for (MissionEvent event : events) {
      if (event.getEvent() instanceof StageStarted started) {
        changes.add(new Change(started.getStartedAt() != null ? started.getStartedAt() : event.getTimestamp(), 1));
      } else if (event.getEvent() instanceof StageFinished) {
        changes.add(new Change(event.getTimestamp(), -1));
      }
    }
    changes.sort(Comparator.comparing(Change::at).thenComparing(Change::delta));
    int now = 0;
    int most = 0;
    for (Change change : changes) {
      now += change.delta();
      most = Math.max(most, now);
    }
    return most;
  }
}
