package io.groundcontrol.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.client.KafkaConnection;
import io.groundcontrol.client.MissingTopicException;
import io.groundcontrol.client.NoAnswerException;
import io.groundcontrol.client.WriteNotTakenException;
import io.groundcontrol.kafka.embedded.EmbeddedKafkaException;
import java.nio.file.AccessDeniedException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class KafkaRefusalsTest {
  @Test
  void aBrokerThatCannotStartIsOneLineWithItsCause() {
    EmbeddedKafkaException error = new EmbeddedKafkaException("Could not format Kafka data directory /d/kafka",
        new RuntimeException("wrapped", new AccessDeniedException("/d/kafka")));

    assertThat(KafkaRefusals.explain(error, null))
        .contains("Could not format Kafka data directory /d/kafka: permission denied");
  }

  @Test
  void aDataDirInUseIsOneLine() {
    assertThat(KafkaRefusals.explain(new DataDirException("a Groundcontrol dev already runs on /d (pid 7)"), null))
        .contains("a Groundcontrol dev already runs on /d (pid 7)");
  }

  /** Seen as a stack trace from `mission start` when another broker answered at the address. */
  @Test
  void aTopicMissingOnTheClusterIsOneLine() {
    String message = "Expected topic gc.mission-events to exist, but it does not: has a coordinator ever run against h:9092?";

    assertThat(KafkaRefusals.explain(new MissingTopicException(message), null)).contains(message);
  }

  /**
   * A write that got past the reads and then lost the cluster: one line saying whether it may land
   * and whether to send it again, rather than the generic "No answer from Kafka" that said neither.
   */
  @Test
  void aWriteKafkaDidNotTakeIsOneLineSayingWhetherToSendItAgain() {
    WriteNotTakenException error = new WriteNotTakenException("revocation of API key abc",
        "It may still be written: revoking the key again is safe",
        new org.apache.kafka.common.errors.TimeoutException("Expiring 1 record(s) for gc.api-keys-0"));

    assertThat(KafkaRefusals.explain(error, KafkaConnection.plaintext("h:9092"))).contains("Kafka did not take the "
        + "revocation of API key abc (Expiring 1 record(s) for gc.api-keys-0); is the cluster reachable? It may still "
        + "be written: revoking the key again is safe");
  }

  /** No answer at all may come from a listener that disconnects a client without its settings. */
  @Test
  void aWriteKafkaDidNotAnswerSaysWhatToCheckAsAReadWithoutAnswerDoes() {
    WriteNotTakenException error = new WriteNotTakenException("command for mission 'm-1'", "None of it was sent",
        new java.util.concurrent.TimeoutException("no answer within 15 s"));

    assertThat(KafkaRefusals.explain(error, KafkaConnection.plaintext("h:9093"))).hasValue("Kafka did not take the "
        + "command for mission 'm-1' (no answer within 15 s); is the cluster reachable? None of it was sent. No answer "
        + "from Kafka at h:9093 for User:ANONYMOUS over PLAINTEXT in time: check the address, and that the listener "
        + "expects PLAINTEXT (a secured listener needs its settings in --kafka-config, README \"Security\")");
  }

  /** A read Kafka did not answer: one line naming what could not be read, then what to check. */
  @Test
  void aReadKafkaDidNotAnswerNamesWhatCouldNotBeRead() {
    NoAnswerException error = new NoAnswerException("topic gc.mission-events", Duration.ofSeconds(15),
        new org.apache.kafka.common.errors.TimeoutException("Timeout expired while fetching topic metadata"));

    assertThat(KafkaRefusals.explain(error, KafkaConnection.plaintext("h:9092"))).contains("Could not read topic "
        + "gc.mission-events: Kafka did not answer within 15 s. No answer from Kafka at h:9092 for User:ANONYMOUS over "
        + "PLAINTEXT in time: check the address, and that the listener expects PLAINTEXT (a secured listener needs its "
        + "settings in --kafka-config, README \"Security\")");
  }
}
