package io.groundcontrol.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.client.MissionLog;
import io.groundcontrol.mission.TestPlan;
import io.groundcontrol.schema.Actor;
import io.groundcontrol.schema.ActorKind;
import io.groundcontrol.schema.MissionEvent;
import io.groundcontrol.schema.MissionFinished;
import io.groundcontrol.schema.ReportFinished;
import io.groundcontrol.schema.ReportStarted;
import io.groundcontrol.schema.StageDispatched;
import io.groundcontrol.schema.StageFailed;
import io.groundcontrol.schema.StageReport;
import io.groundcontrol.schema.StageStarted;
import io.groundcontrol.schema.wire.AvroSerde;
import io.groundcontrol.testing.CliProcess;
import io.groundcontrol.testing.GroundcontrolFixture;
import io.groundcontrol.testing.KafkaBrokerExtension;
import io.groundcontrol.testing.TestDirs;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The race of issue 9: a coordinator killed and restarted on the same state dir while finish
 * reports are written. Every finish below is written in time (stamped 1 s after its attempt's
 * start, timeout 15 s), while the coordinator is down; the restart comes after the deadlines. A timer that fires before the backlog is read fails
 * an attempt that had finished, and the report is then rejected as stale.
 */
class RestartTimersIT {
  @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();
  private static final int MISSIONS = 50;
  private static final long TIMEOUT_MS = 15_000;
  private static final Actor WORKER = new Actor(ActorKind.WORKER, "w-test", "test");

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
  void reportsWrittenInTimeWhileTheCoordinatorWasDownAreReadBeforeAnyTimerFires() throws Exception {
    groundcontrol = new GroundcontrolFixture(KAFKA, "restarttimers");
    Path stateDir = TestDirs.create("gc-same-state-");
    child = CliProcess.start(groundcontrol.coordinatorCommand(stateDir));
    child.awaitOutput("running against", CliProcess.START);
    groundcontrol.apply(TestPlan.named("race").stage("train", "ml").timeout(TIMEOUT_MS).build());
    List<String> missions = IntStream.range(0, MISSIONS).mapToObj(i -> "m-" + i).toList();
    missions.forEach(id -> groundcontrol.start(id, "race"));
    groundcontrol.awaitEventCount(StageDispatched.class, MISSIONS, Duration.ofSeconds(60));

    try (KafkaProducer<String, StageReport> reports = new KafkaProducer<>(
        Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, groundcontrol.bootstrapServers()), new StringSerializer(),
        AvroSerde.of(StageReport.class).serializer())) {
      Instant started = Instant.now();
      for (String id : missions) {
        send(reports, id, started, new ReportStarted(null, started));
      }
      reports.flush();
      awaitOrExplain(() -> groundcontrol.awaitEventCount(StageStarted.class, MISSIONS, Duration.ofSeconds(60)));

      child.kill();
      // Written now, stamped as written 1 s after the start: in time whatever the machine's speed.
      Instant finished = started.plusSeconds(1);
      for (String id : missions) {
        send(reports, id, finished, new ReportFinished(Map.of()));
      }
      reports.flush();
      awaitClockPast(started.plusMillis(TIMEOUT_MS + 500));
    }

    child = CliProcess.start(groundcontrol.coordinatorCommand(stateDir));
    Map<String, List<MissionEvent>> log = groundcontrol.awaitEnd(missions, Duration.ofSeconds(120));

    List<String> failed = missions.stream().filter(id -> log.get(id).stream()
        .anyMatch(e -> e.getEvent() instanceof StageFailed)).toList();
    assertThat(failed).as("missions whose in-time finish was overtaken by a timeout").isEmpty();
    assertThat(missions).allSatisfy(id -> assertThat(log.get(id)).last()
        .satisfies(e -> assertThat(e.getEvent()).isInstanceOf(MissionFinished.class)));
  }

  private void send(KafkaProducer<String, StageReport> producer, String missionId, Instant at, Object outcome) {
    producer.send(new ProducerRecord<>(groundcontrol.topics().stageReports(), null, at.toEpochMilli(), missionId,
        new StageReport(missionId, "train", 1, WORKER, at, outcome)));
  }

  /** Runs {@code await}; if it fails, says which events the log holds and what the coordinator printed. */
  private void awaitOrExplain(Runnable await) {
    try {
      await.run();
    } catch (AssertionError e) {
      Map<String, Long> kinds = new TreeMap<>();
      try (MissionLog log = new MissionLog(groundcontrol.connection(), groundcontrol.topics())) {
        log.readAll(problem -> {}).values().forEach(events -> events.forEach(event ->
            kinds.merge(event.getEvent().getClass().getSimpleName(), 1L, Long::sum)));
      }
      throw new AssertionError(e.getMessage() + "; events in the log: " + kinds + "; coordinator:\n" + child.output(), e);
    }
  }

  /** Waits until the wall clock has passed {@code instant}: the restart must come after the deadlines. */
  private static void awaitClockPast(Instant instant) throws InterruptedException {
    while (Instant.now().isBefore(instant)) {
      Thread.sleep(Math.max(1, Duration.between(Instant.now(), instant).toMillis()));
    }
  }
}
