package io.groundcontrol.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.groundcontrol.coordinator.TopicSetup;
import io.groundcontrol.plan.PlanFiles;
import io.groundcontrol.schema.Actor;
import io.groundcontrol.schema.ActorKind;
import io.groundcontrol.schema.ComponentSettings;
import io.groundcontrol.schema.PauseSchedule;
import io.groundcontrol.schema.Plan;
import io.groundcontrol.schema.TriggerSchedule;
import io.groundcontrol.schema.wire.TopicNames;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.FakeTopicsAdmin;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * The HTTP API's writes other than mission commands while the cluster is unreachable: each gives up
 * within its wait, admin calls and sends together, saying whether it may still land and whether
 * sending it again is safe. Before, a plan or component apply asked Kafka for 30 s (a 500), and a
 * schedule command waited a minute for metadata (a 500); a topic setup waited up to 30 s per admin
 * call, a dozen calls, and a publisher asked the cluster when made, outside any write's wait.
 */
class WritesWhileKafkaIsAwayTest {
  /** Nothing listens on port 1: every connection is refused, as with a broker that is down. */
  private static final KafkaConnection UNREACHABLE = KafkaConnection.plaintext("127.0.0.1:1");
  private static final TopicNames TOPICS = new TopicNames("outage");
  private static final WriteWait WAIT = new WriteWait(Duration.ofSeconds(1));
  /** Well under Kafka's own timeouts (30 s per admin call, a minute for metadata), well over the wait. */
  private static final Duration BOUND = Duration.ofSeconds(15);
  private static final TopicSetup SETUP = new TopicSetup(1, (short) 1);

  @Test
  void aPlanApplyGivesUpWithinTheWaitSayingApplyingAgainIsSafe() throws Exception {
    Plan plan = PlanFiles.parse(Files.readString(Path.of("../examples/diamond.yaml")), "diamond.yaml",
        PlanFiles.Format.YAML);
    try (PlanPublisher publisher = new PlanPublisher(WAIT.admin(UNREACHABLE), new MockProducer<>(false, null,
        new StringSerializer(), (topic, p) -> new byte[0]), TOPICS, SETUP, WAIT)) {
      long begin = System.nanoTime();

      Throwable failure = catchThrowable(() -> publisher.apply(plan, "diamond.yaml"));

      assertThat(Duration.ofNanos(System.nanoTime() - begin)).isLessThan(BOUND);
      assertThat(failure).isInstanceOf(WriteNotTakenException.class)
          .hasMessage("Kafka did not take the plan 'customer-scoring' version " + plan.getVersion() + " (no answer "
              + "within 1 s); is the cluster reachable? None of it was sent, so none of it can land later: sending it "
              + "again is safe");
    }
  }

  @Test
  void aPublisherMadeWhileKafkaIsAwayAsksItNothingUntilItsFirstApplyWhoseWaitBoundsTheSetup() throws Exception {
    Plan plan = PlanFiles.parse(Files.readString(Path.of("../examples/diamond.yaml")), "diamond.yaml",
        PlanFiles.Format.YAML);
    long begin = System.nanoTime();
    // Before, the constructor asked the cluster for its brokers and topics, each call waiting out the
    // admin client's timeout, and failed with a line that said nothing of the plan.
    try (PlanPublisher publisher = new PlanPublisher(UNREACHABLE, TOPICS, 1, WAIT)) {

      Throwable failure = catchThrowable(() -> publisher.apply(plan, "diamond.yaml"));

      assertThat(Duration.ofNanos(System.nanoTime() - begin)).isLessThan(BOUND);
      assertThat(failure).isInstanceOf(WriteNotTakenException.class)
          .hasMessageStartingWith("Kafka did not take the plan 'customer-scoring' version " + plan.getVersion()
              + " (no answer within 1 s); is the cluster reachable? None of it was sent");
    }
  }

  @Test
  void aSetupOfManyTopicsOnASlowClusterEndsAtTheWaitNotAfterAWaitPerCall() throws Exception {
    Plan plan = PlanFiles.parse(Files.readString(Path.of("../examples/diamond.yaml")), "diamond.yaml",
        PlanFiles.Format.YAML);
    // Each admin call is answered a second after it is made: the setup's 17 calls take 17 s, each
    // well within a limit of its own.
    Admin slow = FakeTopicsAdmin.answeringAfter(Duration.ofSeconds(1), new HashMap<>());
    try (PlanPublisher publisher = new PlanPublisher(slow, new MockProducer<>(true, null, new StringSerializer(),
        (topic, p) -> new byte[0]), TOPICS, SETUP, WAIT)) {
      long begin = System.nanoTime();

      Throwable failure = catchThrowable(() -> publisher.apply(plan, "diamond.yaml"));

      assertThat(Duration.ofNanos(System.nanoTime() - begin)).isLessThan(Duration.ofSeconds(8));
      assertThat(failure).isInstanceOf(WriteNotTakenException.class)
          .hasMessageContaining("(no answer within 1 s); is the cluster reachable? None of it was sent")
          .hasRootCauseInstanceOf(java.util.concurrent.TimeoutException.class);
    }
  }

  @Test
  void aComponentApplyGivesUpWithinTheWait() {
    try (ComponentPublisher publisher = new ComponentPublisher(WAIT.admin(UNREACHABLE), new MockProducer<>(false, null,
        new StringSerializer(), (topic, s) -> new byte[0]), TOPICS, SETUP, WAIT)) {
      long begin = System.nanoTime();

      Throwable failure = catchThrowable(() -> publisher.apply(List.of(
          new ComponentSettings("bq", 4, Map.of()), new ComponentSettings("ml", null, Map.of()))));

      assertThat(Duration.ofNanos(System.nanoTime() - begin)).isLessThan(BOUND);
      assertThat(failure).isInstanceOf(WriteNotTakenException.class)
          .hasMessage("Kafka did not take the component settings of 'bq', 'ml' (no answer within 1 s); is the cluster "
              + "reachable? None of it was sent, so none of it can land later: sending it again is safe");
    }
  }

  @Test
  void aFireNowKafkaDoesNotTakeNamesTheMissionItMayStillStart() {
    MockProducer<String, byte[]> neverAcknowledged = new MockProducer<>(false, null, new StringSerializer(),
        new ByteArraySerializer());
    try (SchedulePublisher publisher = new SchedulePublisher(UNREACHABLE, TOPICS, 1, WAIT, WAIT.admin(UNREACHABLE),
        neverAcknowledged)) {
      Instant issuedAt = Instant.parse("2026-12-07T05:50:00.123Z");

      Throwable fire = catchThrowable(() -> publisher.command("nightly", new Actor(ActorKind.USER, "ann", null),
          new TriggerSchedule(Map.of(), null), issuedAt));
      Throwable pause = catchThrowable(() -> publisher.command("nightly", new Actor(ActorKind.USER, "ann", null),
          new PauseSchedule("maintenance"), issuedAt.plusMillis(1)));

      assertThat(fire).isInstanceOf(WriteNotTakenException.class).hasMessage("Kafka did not take the fire-now of "
          + "schedule 'nightly' (no answer within 1 s); is the cluster reachable? It may still be written and start "
          + "mission 's.nightly.manual-20261207T055000123Z': look for that mission before firing again, as another "
          + "fire-now starts another mission");
      assertThat(pause).isInstanceOf(WriteNotTakenException.class).hasMessage("Kafka did not take the pause of "
          + "schedule 'nightly' (no answer within 1 s); is the cluster reachable? It may still be written and "
          + "decided: sending it again is safe (see the schedule for what was decided)");
    }
  }
}
