package io.groundcontrol.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.client.CompactedTopic;
import io.groundcontrol.client.MissionLog;
import io.groundcontrol.client.SchedulePublisher;
import io.groundcontrol.mission.MissionIds;
import io.groundcontrol.mission.TestPlan;
import io.groundcontrol.schema.MissionStarted;
import io.groundcontrol.schema.OverlapPolicy;
import io.groundcontrol.schema.Schedule;
import io.groundcontrol.schema.ScheduleEvent;
import io.groundcontrol.schema.ScheduleFired;
import io.groundcontrol.schema.wire.AvroSerde;
import io.groundcontrol.testing.CliProcess;
import io.groundcontrol.testing.GroundcontrolFixture;
import io.groundcontrol.testing.KafkaBrokerExtension;
import io.groundcontrol.testing.Poll;
import io.groundcontrol.testing.TestDirs;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A schedule on a real broker, across a coordinator killed with SIGKILL. */
class ScheduleIT {
  @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

  /** Fires of the schedule, one a second: the kill comes after {@link #FIRES_BEFORE_KILL}, the takeover a few later. */
  private static final int FIRES = 30;
  private static final int FIRES_BEFORE_KILL = 12;

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

  @Test
  void aScheduleEverySecondFires30MissionsInHalfAMinuteWithoutGapOrDuplicateAcrossASigkill() throws Exception {
    groundcontrol = new GroundcontrolFixture(KAFKA, "every-second");
    child = CliProcess.start(groundcontrol.coordinatorCommandFailingOverQuickly(TestDirs.create("gc-sched-child-")));
    child.awaitOutput("running against", CliProcess.START);
    groundcontrol.apply(TestPlan.named("tick").stage("noop", "nobody").build());
    // A first fire the coordinator reads the schedule too late for is caught up: no gap either way.
    Instant first = Instant.now().truncatedTo(ChronoUnit.SECONDS).plusSeconds(3);
    Schedule schedule = Schedule.newBuilder().setName("tick").setPlan("tick").setEveryMs(1000L)
        .setOverlap(OverlapPolicy.ALLOW).setStartAt(first).setEndAt(first.plusSeconds(FIRES - 1))
        .setCatchUpWindowMs(Duration.ofMinutes(5).toMillis()).setPriority(3).build();
    try (SchedulePublisher publisher = new SchedulePublisher(groundcontrol.connection(), groundcontrol.topics(), 2)) {
      publisher.apply(new ScheduleFile(List.of(schedule), List.of()));
    }

    Poll.until(() -> fires().size() >= FIRES_BEFORE_KILL, Duration.ofSeconds(120), FIRES_BEFORE_KILL + " fires before the kill");
    child.kill();
    int firesAtKill = fires().size();
    groundcontrol.startCoordinator(TestDirs.create("gc-sched-restarted-"));
    Poll.until(() -> startedMissions().size() >= FIRES, Duration.ofSeconds(180), FIRES + " missions started");
    // Anything more would come within a few ticks of the end: wait past it, then count again.
    Poll.until(() -> Instant.now().isAfter(first.plusSeconds(FIRES - 1 + 5)), Duration.ofSeconds(120), "the end of the schedule");

    List<String> expected = IntStream.range(0, FIRES).mapToObj(i -> MissionIds.forFire("tick", first.plusSeconds(i))).toList();
    System.out.printf("coordinator killed after %d of %d fires; %d fires in all%n", firesAtKill, FIRES, fires().size());
    assertThat(firesAtKill).as("killed mid-way").isBetween(FIRES_BEFORE_KILL, FIRES - 1);
    assertThat(fires()).extracting(ScheduleFired::getMissionId).containsExactlyElementsOf(expected);
    List<Map.Entry<String, Integer>> started = startedMissions();
    assertThat(started).extracting(Map.Entry::getKey).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(started).extracting(Map.Entry::getValue).as("the schedule's priority").containsOnly(3);
  }

  private List<ScheduleFired> fires() {
    List<ScheduleFired> fires = new ArrayList<>();
    AvroSerde<ScheduleEvent> serde = AvroSerde.of(ScheduleEvent.class);
    try (CompactedTopic log = new CompactedTopic(groundcontrol.connection(), groundcontrol.topics().scheduleEvents())) {
      log.scan((key, value) -> {
        if (serde.deserializer().deserialize(null, value).getEvent() instanceof ScheduleFired fired) {
          fires.add(fired);
        }
      });
    }
    return fires;
  }

  /** The started missions' ids, each with its priority, in the log's order. */
  private List<Map.Entry<String, Integer>> startedMissions() {
    List<Map.Entry<String, Integer>> started = new ArrayList<>();
    try (MissionLog log = new MissionLog(groundcontrol.connection(), groundcontrol.topics())) {
      log.scan(key -> key.startsWith("s.tick."), event -> {
        if (event.getEvent() instanceof MissionStarted start) {
          started.add(Map.entry(event.getMissionId(), start.getPriority()));
        }
      }, problem -> {
        throw new AssertionError(problem);
      });
    }
    return started;
  }
}
