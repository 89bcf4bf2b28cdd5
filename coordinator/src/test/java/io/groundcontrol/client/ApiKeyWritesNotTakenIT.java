package io.groundcontrol.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.groundcontrol.apikey.ApiKeySecrets;
import io.groundcontrol.apikey.Role;
import io.groundcontrol.schema.ApiKey;
import io.groundcontrol.schema.wire.TopicNames;
import io.groundcontrol.testing.KafkaBrokerExtension;
import java.time.Clock;
import java.time.Duration;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code apikey create} and {@code revoke} when Kafka answers their reads but does not take their
 * write (a producer whose sends are never acknowledged): each gives up at its wait, saying what may
 * still land and what to do about it.
 */
class ApiKeyWritesNotTakenIT {
  @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();
  private static final WriteWait WAIT = new WriteWait(Duration.ofSeconds(1));

  @Test
  void aCreateKafkaDoesNotTakeSaysTheNameMayBeHeldByAKeyNobodyWasShown() {
    TopicNames topics = topics("keystall");
    try (ApiKeyRegistry stalled = stalled(topics)) {

      Throwable failure = catchThrowable(() -> stalled.create("ci", Role.VIEWER));

      assertThat(failure).isInstanceOf(WriteNotTakenException.class)
          .hasMessageStartingWith("Kafka did not take the API key 'ci' (id ")
          .hasMessageEndingWith("(no answer within 1 s); is the cluster reachable? It may still be written, and then "
              + "holds the name 'ci' with a secret nobody was shown: if `apikey list` shows it, revoke it and create "
              + "the key under another name");
    }
  }

  /**
   * Kafka took the key but did not answer the read after it, which checks that no racing create
   * took the name first: the key was written, and the message says so (it said the key "may still
   * be written"), with what to do.
   */
  @Test
  void aCreateWhoseReadAfterTheWriteGetsNoAnswerSaysTheKeyWasWritten() {
    TopicNames topics = topics("keyunchecked");
    // The read before the write uses up the wait, so the read after it gets no answer in time.
    Runnable useUpTheWait = () -> {
      try {
        Thread.sleep(WAIT.limit().toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    };
    try (ApiKeyRegistry taken = new ApiKeyRegistry(kafka(), topics, Clock.systemUTC(), useUpTheWait, WAIT,
        new MockProducer<String, ApiKey>(true, null, new StringSerializer(), (topic, key) -> new byte[0]))) {

      Throwable failure = catchThrowable(() -> taken.create("ci", Role.VIEWER));

      assertThat(failure).isInstanceOf(ApiKeyRegistry.UncheckedKeyException.class)
          .hasMessageStartingWith("API key 'ci' (id ")
          .hasMessageContaining(") was written, but Kafka did not answer the read after it (no answer within 1 s) "
              + "that makes sure no other key took the name first, so its secret is not shown: revoke it (`apikey "
              + "revoke ")
          .hasMessageEndingWith("`) and create the key under another name");
    }
  }

  @Test
  void aRevocationKafkaDoesNotTakeSaysRevokingAgainIsSafe() {
    TopicNames topics = topics("revokestall");
    String id;
    try (ApiKeyRegistry registry = new ApiKeyRegistry(kafka(), topics, Clock.systemUTC())) {
      id = ApiKeySecrets.idOf(registry.create("ci", Role.VIEWER)).orElseThrow();
    }
    try (ApiKeyRegistry stalled = stalled(topics)) {

      Throwable failure = catchThrowable(() -> stalled.revoke(id));

      assertThat(failure).isInstanceOf(WriteNotTakenException.class).hasMessage("Kafka did not take the revocation of "
          + "API key " + id + " (no answer within 1 s); is the cluster reachable? It may still be written: revoking "
          + "the key again is safe, and `apikey list` shows whether it is revoked");
    }
  }

  private static TopicNames topics(String name) {
    TopicNames topics = new TopicNames(KAFKA.uniquePrefix(name));
    KAFKA.createTopic(topics.apiKeys(), 1);
    return topics;
  }

  private static KafkaConnection kafka() {
    return KafkaConnection.plaintext(KAFKA.bootstrapServers());
  }

  /** A registry that reads the broker and writes through a producer whose sends are never acknowledged. */
  private static ApiKeyRegistry stalled(TopicNames topics) {
    return new ApiKeyRegistry(kafka(), topics, Clock.systemUTC(), () -> {}, WAIT,
        new MockProducer<String, ApiKey>(false, null, new StringSerializer(), (topic, key) -> new byte[0]));
  }
}
