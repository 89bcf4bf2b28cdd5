package io.groundcontrol.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;

/** What {@code /health/ready} answers for an attached instance. */
class ReadinessTest {
  @Test
  void anInstanceWhoseKeysAreNotReadIsNotReadyThoughItsStreamsRun() {
    OperationRoutes.Readiness readiness = OperationRoutes.readiness(false, KafkaStreams.State.RUNNING);

    // A load balancer would send it requests whose valid keys it refuses with 401.
    assertThat(readiness.status()).isEqualTo(503);
    assertThat(readiness.body()).isEqualTo(Map.of("status", "STARTING", "streams", "RUNNING", "keys", "not read yet"));
  }

  @Test
  void anInstanceWithItsKeysReadIsReadyWhileItsStreamsRunOrRebalance() {
    assertThat(OperationRoutes.readiness(true, KafkaStreams.State.RUNNING))
        .isEqualTo(new OperationRoutes.Readiness(200, Map.of("status", "UP", "streams", "RUNNING")));
    assertThat(OperationRoutes.readiness(true, KafkaStreams.State.REBALANCING).status()).isEqualTo(200);
    assertThat(OperationRoutes.readiness(true, KafkaStreams.State.ERROR))
        .isEqualTo(new OperationRoutes.Readiness(503, Map.of("status", "DOWN", "streams", "ERROR")));
  }
}
