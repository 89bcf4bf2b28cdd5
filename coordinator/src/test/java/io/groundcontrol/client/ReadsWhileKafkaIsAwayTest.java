package io.groundcontrol.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.groundcontrol.testing.UnansweringConsumer;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.FakeTopicsAdmin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

/**
 * The command-line tools' reads while the cluster is unreachable: a read whose first request Kafka
 * does not answer gives up after 15 s, naming what it could not read. Before, each waited out its
 * client's own timeouts (30 s for a topic's partitions, 30 s a call for an admin), 25-80 s measured
 * for a command, and ended with a line that named nothing read.
 */
class ReadsWhileKafkaIsAwayTest {
  /** Nothing listens on port 1: every connection is refused, as with a broker that is down. */
  private static final KafkaConnection UNREACHABLE = KafkaConnection.plaintext("127.0.0.1:1");

  @Test
  void aLogReaderWaitsFifteenSecondsForTheTopicsPartitionsAndSaysWhichTopic() {
    UnansweringConsumer consumer = new UnansweringConsumer();

    Throwable failure = catchThrowable(() -> new MissionLog(consumer, "gc.mission-events", "h:9092"));

    assertThat(failure).isInstanceOf(NoAnswerException.class)
        .hasMessage("Could not read topic gc.mission-events: Kafka did not answer within 15 s");
    assertThat(consumer.asked).containsExactly(Duration.ofSeconds(15));
    assertThat(consumer.closed()).isTrue();
  }

  @Test
  void aReaderOfAnUnreachableClusterGivesUpAtItsLookup() {
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(KafkaClients.reader(UNREACHABLE),
        new StringDeserializer(), new StringDeserializer())) {

      Throwable failure = catchThrowable(() -> TopicPartitions.of(consumer, "gc.api-keys", Duration.ofMillis(300)));

      assertThat(failure).isInstanceOf(NoAnswerException.class)
          .hasMessage("Could not read topic gc.api-keys: Kafka did not answer within 300 ms")
          .hasCauseInstanceOf(org.apache.kafka.common.errors.TimeoutException.class);
    }
  }

  @Test
  void aHangingTransactionsSearchGivesUpWhenKafkaDoesNotAnswerItsFirstCall() {
    try (Admin silent = FakeTopicsAdmin.answeringAfter(Duration.ofHours(1), Map.of("__consumer_offsets", 50))) {
      HangingTransactions search = new HangingTransactions(silent, Clock.systemUTC(), Duration.ofMinutes(15),
          Duration.ofMillis(200));

      Throwable failure = catchThrowable(() -> search.installationPartitions(new io.groundcontrol.schema.wire
          .TopicNames("gc"), "gc-coordinator"));

      assertThat(failure).isInstanceOf(NoAnswerException.class)
          .hasMessage("Could not read the cluster's topics and open transactions: Kafka did not answer within 200 ms");
    }
  }

  @Test
  void theFirstAnswerIsWaitedForAsLongAsAToolWaitsForAWrite() {
    assertThat(NoAnswerException.FIRST_ANSWER).isEqualTo(WriteWait.TOOLS.limit()).isEqualTo(Duration.ofSeconds(15));
    assertThat(TopicPartitions.LOOKUP_TIMEOUT).isEqualTo(NoAnswerException.FIRST_ANSWER);
  }
}
