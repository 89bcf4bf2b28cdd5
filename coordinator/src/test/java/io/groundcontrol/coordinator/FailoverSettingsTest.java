package io.groundcontrol.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
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
  @Test
  void theTransactionTimeoutStaysAtKafkaStreamsExactlyOnceDefault() {
    assertThat(streams.getProducerConfigs("c").get(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG)).isEqualTo(10_000);
  }
}
