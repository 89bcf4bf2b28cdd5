package io.groundcontrol.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.schema.wire.TopicNames;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

/** The settings behind README "Running N coordinator instances", Failover time. */
class FailoverSettingsTest {
  private final StreamsConfig streams = new StreamsConfig(
      CoordinatorConfig.defaults("localhost:9092", Path.of("target", "failover-test")).streamsProperties());

  @Test
  void aKilledInstanceIsNoticedAfterTenSeconds() {
    assertThat(streams.getMainConsumerConfigs("g", "c", 0).get(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG))
        .isEqualTo(10_000);
  }

  /**
   * A shorter timeout would end a killed instance's open transaction sooner, but an instance taking
   * over its tasks keeps its own transaction open while it opens their stores: 10.2 to 13.6 s in
   * chaos runs on a loaded machine, and a broker that aborted it at 10 s fenced that instance, which
   * then rebuilt its stores and held its own missions 30 s.
   */
  /**
   * A task taken over from a lost instance starts once Kafka answers its committed offsets, which
   * it holds until the broker aborts the lost instance's transaction. The stream thread asks with
   * its own transaction open, and Kafka's default wait is 60 s, so the instance's own missions
   * waited with the moved ones (8.7 s in a chaos run); a short wait sets the task aside and lets the
   * thread commit and run its own tasks between the asks (HeldOffsetsTakeoverIT).
   */
  @Test
  void aTakenOverTaskIsSetAsideAfterHalfASecondWithoutItsCommittedOffsets() {
    assertThat(apiTimeout(streams.getMainConsumerConfigs("g", "c", 0))).isEqualTo(500);
  }

  /** Only the main consumer's asks are bounded: restoring and the global stores read as before. */
  @Test
  void theOtherConsumersKeepKafkasWait() {
    assertThat(apiTimeout(streams.getRestoreConsumerConfigs("c"))).isEqualTo(60_000);
    assertThat(apiTimeout(streams.getGlobalConsumerConfigs("c"))).isEqualTo(60_000);
  }

  /**
   * At-least-once reads offsets without waiting for transactions, and commits them with the main
   * consumer's commitSync, which a short wait would fail on a slow broker.
   */
  @Test
  void atLeastOnceKeepsKafkasWait() {
    StreamsConfig atLeastOnce = new StreamsConfig(new CoordinatorConfig("localhost:9092", "app",
        TopicNames.DEFAULT, Path.of("target", "failover-test"), false, 20, 1,
        Map.of()).streamsProperties());

    assertThat(apiTimeout(atLeastOnce.getMainConsumerConfigs("g", "c", 0))).isEqualTo(60_000);
  }

  /** The consumer's {@code default.api.timeout.ms}, Kafka's default where unset. */
  private static int apiTimeout(Map<String, Object> consumer) {
    Map<String, Object> complete = new HashMap<>(consumer);
    complete.putIfAbsent(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    complete.putIfAbsent(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    return new ConsumerConfig(complete).getInt(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG);
  }

  @Test
  void theTransactionTimeoutStaysAtKafkaStreamsExactlyOnceDefault() {
    assertThat(streams.getProducerConfigs("c").get(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG)).isEqualTo(10_000);
  }
}
