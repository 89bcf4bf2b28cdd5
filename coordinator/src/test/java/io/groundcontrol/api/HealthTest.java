package io.groundcontrol.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.coordinator.ThreadStall;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;

/** What {@code /health/ready} and {@code /health/live} answer for an attached instance. */
class HealthTest {
  @Test
  void anInstanceWhoseKeysAreNotReadIsNotReadyThoughItsStreamsRun() {
    OperationRoutes.Health readiness = OperationRoutes.readiness(false, KafkaStreams.State.RUNNING, Optional.empty());

    // A load balancer would send it requests whose valid keys it refuses with 401.
    assertThat(readiness.status()).isEqualTo(503);
    assertThat(readiness.body()).isEqualTo(Map.of("status", "STARTING", "streams", "RUNNING", "keys", "not read yet"));
  }

  @Test
  void anInstanceWithItsKeysReadIsReadyWhileItsStreamsRunOrRebalance() {
    assertThat(OperationRoutes.readiness(true, KafkaStreams.State.RUNNING, Optional.empty()))
        .isEqualTo(new OperationRoutes.Health(200, Map.of("status", "UP", "streams", "RUNNING")));
    assertThat(OperationRoutes.readiness(true, KafkaStreams.State.REBALANCING, Optional.empty()).status()).isEqualTo(200);
    assertThat(OperationRoutes.readiness(true, KafkaStreams.State.ERROR, Optional.empty()))
        .isEqualTo(new OperationRoutes.Health(503, Map.of("status", "DOWN", "streams", "ERROR")));
  }

  @Test
  void anInstanceWhoseCoordinatorStoppedByItselfIsNotLive() {
    assertThat(OperationRoutes.liveness(Optional.empty(), Optional.empty()))
        .isEqualTo(new OperationRoutes.Health(200, Map.of("status", "UP")));

    // Nothing in the process will start its streams again: a probe should restart it.
    assertThat(OperationRoutes.liveness(Optional.of("the coordinator's streams could not be restarted"), Optional.empty()))
        .isEqualTo(new OperationRoutes.Health(503,
            Map.of("status", "DOWN", "reason", "the coordinator's streams could not be restarted")));
  }

  @Test
  void anInstanceWhoseStreamThreadKeepsBeingReplacedIsNotReadyThoughItsStreamsRun() {
    ThreadStall stall = new ThreadStall(ThreadStall.NOT_READY_AFTER, "StreamsException: Error encountered sending record");

    OperationRoutes.Health readiness = OperationRoutes.readiness(true, KafkaStreams.State.RUNNING, Optional.of(stall));

    assertThat(readiness).isEqualTo(new OperationRoutes.Health(503, Map.of("status", "DOWN", "streams", "RUNNING",
        "reason", "the stream thread was replaced 3 times in a row without a commit in between; the last cause: "
            + "StreamsException: Error encountered sending record")));
    // A restart would do what the replacements do: not yet.
    assertThat(OperationRoutes.liveness(Optional.empty(), Optional.of(stall)).status()).isEqualTo(200);
  }

  @Test
  void anInstanceWhoseStreamThreadFailedForLongIsNotLiveEither() {
    ThreadStall stall = new ThreadStall(ThreadStall.NOT_LIVE_AFTER, "StreamsException: boom");

    assertThat(OperationRoutes.liveness(Optional.empty(), Optional.of(stall))).isEqualTo(new OperationRoutes.Health(
        503, Map.of("status", "DOWN", "reason", stall.reason())));
  }
}
