package io.groundcontrol.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.groundcontrol.apikey.Role;
import io.groundcontrol.schedule.ScheduleFile;
import io.groundcontrol.schema.Actor;
import io.groundcontrol.schema.ActorKind;
import io.groundcontrol.schema.ApiKey;
import io.groundcontrol.schema.PauseSchedule;
import io.groundcontrol.schema.wire.TopicNames;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The command-line tools' writes while the cluster is unreachable: the reads each needs first (what
 * exists, where a log ends) share the write's one wait, and one Kafka does not answer fails as the
 * write not taken, saying none of it was sent. Before, each read waited out a consumer's own
 * timeouts (50-61 s measured for a command) and failed with a line that named no write.
 */
class CommandsWhileKafkaIsAwayTest {
  /** Nothing listens on port 1: every connection is refused, as with a broker that is down. */
  private static final KafkaConnection UNREACHABLE = KafkaConnection.plaintext("127.0.0.1:1");
  private static final TopicNames TOPICS = new TopicNames("outage");
  private static final WriteWait WAIT = new WriteWait(Duration.ofSeconds(1));
  /**
   * Well under the consumer's own timeouts (30 s for a topic's partitions, a minute for offsets),
   * well over the wait: a loaded machine's class loading and start-up of clients take seconds.
   */
  private static final Duration BOUND = Duration.ofSeconds(15);
  private static final String NOTHING_SENT = "(no answer within 1 s); is the cluster reachable? None of it was "
      + "sent, so none of it can land later: sending it again is safe";

  /**
   * Loads Kafka's client classes once, so that the times below measure the waits: on a loaded
   * machine the first client of a JVM takes seconds to load.
   */
  @BeforeAll
  static void loadTheClients() {
    try (SchedulePublisher warm = schedules();
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(KafkaClients.reader(UNREACHABLE),
            new StringDeserializer(), new StringDeserializer())) {
      assertThat(warm).isNotNull();
    }
  }

  @Test
  void anApiKeyCreateGivesUpWithinTheWaitReadingTheNamesTaken() {
    try (ApiKeyRegistry registry = registry()) {
      Throwable failure = timed(() -> catchThrowable(() -> registry.create("ci", Role.VIEWER)));

      assertThat(failure).isInstanceOf(WriteNotTakenException.class)
          .hasMessageStartingWith("Kafka did not take the API key 'ci' (id ").hasMessageEndingWith(NOTHING_SENT);
    }
  }

  @Test
  void anApiKeyRevocationGivesUpWithinTheWaitReadingTheKey() {
    try (ApiKeyRegistry registry = registry()) {
      Throwable failure = timed(() -> catchThrowable(() -> registry.revoke("0123456789ab")));

      assertThat(failure).isInstanceOf(WriteNotTakenException.class)
          .hasMessage("Kafka did not take the revocation of API key 0123456789ab " + NOTHING_SENT);
    }
  }

  @Test
  void aMissionCommandsReadOfWhereTheLogEndsIsAStepOfItsWrite() {
    try (MissionCommands commands = new MissionCommands(UNREACHABLE, TOPICS, new Actor(ActorKind.USER, "ann", null),
        Clock.systemUTC(), WAIT)) {
      WriteWait.Write write = commands.begin("m-1");

      Throwable failure = timed(() -> catchThrowable(() -> write.step(() -> {
        try (MissionLog log = new MissionLog(UNREACHABLE, TOPICS, write.remaining())) {
          return log.endOffsets(write.remaining());
        }
      })));

      assertThat(failure).isInstanceOf(WriteNotTakenException.class)
          .hasMessage("Kafka did not take the command for mission 'm-1' " + NOTHING_SENT);
    }
  }

  @Test
  void aScheduleCommandsReadOfWhereTheLogEndsIsAStepOfItsWrite() {
    try (SchedulePublisher publisher = schedules()) {
      WriteWait.Write write = publisher.begin("nightly", new PauseSchedule("maintenance"), Instant.now());

      Throwable failure = timed(() -> catchThrowable(() -> write.step(() -> {
        try (CompactedTopic log = new CompactedTopic(UNREACHABLE, TOPICS.scheduleEvents(), write.remaining())) {
          return log.endOffsets(write.remaining());
        }
      })));

      assertThat(failure).isInstanceOf(WriteNotTakenException.class)
          .hasMessage("Kafka did not take the pause of schedule 'nightly' " + NOTHING_SENT);
    }
  }

  @Test
  void aSchedulesApplyReadsTheAppliedPlansWithinItsWait() {
    try (SchedulePublisher publisher = schedules()) {
      Throwable failure = timed(() -> catchThrowable(() -> publisher.applyIf(new ScheduleFile(List.of(), List.of()),
          plans -> true)));

      assertThat(failure).isInstanceOf(WriteNotTakenException.class)
          .hasMessage("Kafka did not take the schedules file's changes " + NOTHING_SENT);
    }
  }

  private static ApiKeyRegistry registry() {
    return new ApiKeyRegistry(UNREACHABLE, TOPICS, Clock.systemUTC(), () -> {}, WAIT,
        new MockProducer<String, ApiKey>(false, null, new StringSerializer(), (topic, key) -> new byte[0]));
  }

  private static SchedulePublisher schedules() {
    return new SchedulePublisher(UNREACHABLE, TOPICS, 1, WAIT, WAIT.admin(UNREACHABLE),
        new MockProducer<>(false, null, new StringSerializer(), new ByteArraySerializer()));
  }

  /** What {@code call} returns, once it returned within the bound. */
  private static <T> T timed(Supplier<T> call) {
    long begin = System.nanoTime();
    T result = call.get();
    assertThat(Duration.ofNanos(System.nanoTime() - begin)).isLessThan(BOUND);
    return result;
  }
}
