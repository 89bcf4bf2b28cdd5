package io.groundcontrol.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.client.KafkaAccessErrors;
import io.groundcontrol.mission.TestPlan;
import io.groundcontrol.schema.StageInstruction;
import io.groundcontrol.schema.wire.TopicNames;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.errors.StreamsException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A write the coordinator's producer could not make (Kafka refused it asynchronously: an ACL revoked
 * on an instruction topic, a record too large) must stop the stream thread,
 * so that the input is read again from the last commit (README "When the cluster refuses": "The
 * coordinator stops the same way when a credential or ACL it needs is refused").
 *
 * <p>Kafka Streams keeps such a failure in its producer's {@code sendException} and throws it at the
 * next {@code RecordCollector.send} or at the commit's flush. When the next send is made while a
 * processor handles the next input, the exception passes through {@code ProcessorNode.process}, which
 * hands it to the processing exception handler. Had {@link DeadLetters.Processing} dead-lettered the
 * (innocent) next input and resumed, as it once did, the failure would be gone (RecordCollectorImpl
 * clears it when it throws it), and under at-least-once ({@code coordinator --at-least-once}) nothing
 * would abort: the lost instruction never written, the offsets committed.
 *
 * <p>The test puts the producer in the state RecordCollectorImpl.recordSendError leaves it in after
 * a TopicAuthorizationException in a send callback (kafka-streams 4.3.1): {@code sendException}
 * holds a StreamsException with that cause.
 */
class SendFailureSwallowedTopologyTest {
  @TempDir Path stateDir;
  private CoordinatorDriver coordinator;

  @AfterEach
  void tearDown() {
    if (coordinator != null) {
      coordinator.close();
    }
  }

  @Test
  void aSendRefusedByKafkaFailsTheStreamThreadInsteadOfDeadLetteringTheNextInput() throws Exception {
    CoordinatorConfig atLeastOnce = new CoordinatorConfig("unused:9092",
        CoordinatorConfig.defaultApplicationId(TopicNames.DEFAULT), TopicNames.DEFAULT, stateDir, false,
        CoordinatorConfig.DEFAULT_COMMIT_INTERVAL_MS, 1, Map.of());
    coordinator = new CoordinatorDriver(atLeastOnce);
    TestOutputTopic<String, StageInstruction> w = coordinator.instructions("w");
    TestOutputTopic<String, byte[]> deadLetters = coordinator.driver.createOutputTopic(
        TopicNames.DEFAULT.deadLetters(), new StringDeserializer(), new ByteArrayDeserializer());
    coordinator.apply(TestPlan.named("p").stage("a", "w").build());
    coordinator.start("m-1", "p", CoordinatorDriver.T0.plusSeconds(1));
    assertThat(w.readValuesToList()).extracting(StageInstruction::getMissionId).containsExactly("m-1");

    // Kafka refused the instruction of m-1 after it was handed to the producer (its callback ran).
    sendException(coordinator.driver).set(new StreamsException(
        "Error encountered sending record to topic groundcontrol.instructions.w for task 0_0 due to:\n"
            + "org.apache.kafka.common.errors.TopicAuthorizationException: Not authorized to access topics: "
            + "[groundcontrol.instructions.w]\nWritten offsets would not be recorded and no more records would be"
            + " sent since this is a fatal error.",
        new TopicAuthorizationException(Set.of("groundcontrol.instructions.w"))));

    // The next input, another mission's start, is processed: its first write meets the failure.
    Throwable thrown = null;
    try {
      coordinator.start("m-2", "p", CoordinatorDriver.T0.plusSeconds(2));
    } catch (RuntimeException e) {
      thrown = e;
    }
    List<KeyValue<String, byte[]>> letters = deadLetters.readKeyValuesToList();
    String m2 = String.valueOf(coordinator.stored("m-2") == null ? null : coordinator.stored("m-2").getStatus());
    List<String> m2Instructions = w.readValuesToList().stream().map(StageInstruction::getMissionId).toList();
    assertThat(thrown)
        .as("the refused write must fail the stream thread (then the uncaught handler stops the coordinator on an"
            + " access error, or replaces the thread); instead m-2's start was dead-lettered %s and the failure cleared"
            + " (sendException now %s; m-2 stored with status %s, instructions since: %s)",
            letters.stream().map(kv -> kv.key).toList(), sendException(coordinator.driver).get(), m2, m2Instructions)
        .isNotNull();
    assertThat(letters).as("m-2's start is not to blame").isEmpty();
    // What Coordinator's uncaught exception handler gets: it stops with the one line on an access error.
    assertThat(KafkaAccessErrors.describe(thrown, null)).hasValue("Kafka refused this client access to topic"
        + " groundcontrol.instructions.w; grant its role's ACLs (see `groundcontrol acl print`)");
  }

  @SuppressWarnings("unchecked")
  private static AtomicReference<KafkaException> sendException(TopologyTestDriver driver) throws Exception {
    Field field = TopologyTestDriver.class.getDeclaredField("testDriverProducer");
    field.setAccessible(true);
    Object producer = field.get(driver);
    Method method = org.apache.kafka.streams.processor.internals.StreamsProducer.class
        .getDeclaredMethod("sendException");
    method.setAccessible(true);
    return (AtomicReference<KafkaException>) method.invoke(producer);
  }
}
