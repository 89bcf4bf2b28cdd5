package io.groundcontrol.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.coordinator.InputStall;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;

/** What {@code /health/ready} and {@code /health/live} answer for an attached instance. */
class HealthTest {
  @Test
  void anInstanceWhoseKeysAreNotReadIsNotReadyThoughItsStreamsRun() {
    OperationRoutes.Health readiness = OperationRoutes.readiness(false, KafkaStreams.State.RUNNING, Optional.empty(), Optional.empty());

    // A load balancer would send it requests whose valid keys it refuses with 401.
    assertThat(readiness.status()).isEqualTo(503);
    assertThat(readiness.body()).isEqualTo(Map.of("status", "STARTING", "streams", "RUNNING", "keys", "not read yet"));
  }

  @Test
  void anInstanceWithItsKeysReadIsReadyWhileItsStreamsRunOrRebalance() {
    assertThat(OperationRoutes.readiness(true, KafkaStreams.State.RUNNING, Optional.empty(), Optional.empty()))
        .isEqualTo(new OperationRoutes.Health(200, Map.of("status", "UP", "streams", "RUNNING")));
    assertThat(OperationRoutes.readiness(true, KafkaStreams.State.REBALANCING, Optional.empty(), Optional.empty()).status()).isEqualTo(200);
    assertThat(OperationRoutes.readiness(true, KafkaStreams.State.ERROR, Optional.empty(), Optional.empty()))
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
  void anInstanceWhoseInputHasNotMovedForMinutesIsNotReadyThoughItsStreamsRun() {
    InputStall stall = new InputStall(List.of("gc.stage-reports-3 (at least 4 records waiting at offset 120, not "
        + "moved for 150 s)"), Duration.ofSeconds(150), Optional.of("TimeoutException: Topic gc.instructions.spark not"
        + " present in metadata after 60000 ms."));

    OperationRoutes.Health readiness = OperationRoutes.readiness(true, KafkaStreams.State.RUNNING, Optional.of(stall), Optional.empty());

    assertThat(readiness).isEqualTo(new OperationRoutes.Health(503, Map.of("status", "DOWN", "streams", "RUNNING",
        "reason", "input partitions with records waiting have not moved: gc.stage-reports-3 (at least 4 records "
            + "waiting at offset 120, not moved for 150 s); the last failure: TimeoutException: Topic "
            + "gc.instructions.spark not present in metadata after 60000 ms.")));
    // A restart would do what the retries do: not yet.
    assertThat(OperationRoutes.liveness(Optional.empty(), Optional.of(stall)).status()).isEqualTo(200);
  }

  @Test
  void anInstanceWhoseInputHasNotMovedForLongIsNotLiveEither() {
    InputStall stall = new InputStall(List.of("gc.stage-reports-3 (records waiting at offset 120, not moved for "
        + "600 s)"), InputStall.NOT_LIVE_AFTER, Optional.empty());

    assertThat(OperationRoutes.liveness(Optional.empty(), Optional.of(stall))).isEqualTo(new OperationRoutes.Health(
        503, Map.of("status", "DOWN", "reason", stall.reason())));
    assertThat(stall.reason()).endsWith("; the last failure: none recorded");
  }

  @Test
  void anOpenTransactionIsTheReasonOverAStallOfTheInputsItHolds() {
    // The walkthrough's instance showed a stall from before the outage, unchanged, and nothing else.
    InputStall stale = new InputStall(List.of("gc.mission-commands-2 (at least 15 records waiting at offset 31, not "
        + "moved for 121 s)"), Duration.ofSeconds(121), Optional.empty());
    String open = "An open transaction on gc-coordinator-missions-changelog-3 from offset 1234: ...";

    OperationRoutes.Health readiness = OperationRoutes.readiness(true, KafkaStreams.State.REBALANCING,
        Optional.of(stale), Optional.of(open));

    assertThat(readiness).isEqualTo(new OperationRoutes.Health(503,
        Map.of("status", "DOWN", "streams", "REBALANCING", "reason", open)));
  }

  @Test
  void anInstanceWhoseTasksAHangingTransactionKeepsFromStartingIsNotReadyThoughItRebalances() {
    String hanging = "a hanging transaction on __consumer_offsets-0 from offset 4479: ...";

    OperationRoutes.Health readiness =
        OperationRoutes.readiness(true, KafkaStreams.State.REBALANCING, Optional.empty(), Optional.of(hanging));

    assertThat(readiness).isEqualTo(new OperationRoutes.Health(503,
        Map.of("status", "DOWN", "streams", "REBALANCING", "reason", hanging)));
    // A restart cannot end it: only an operator's abort does.
    assertThat(OperationRoutes.liveness(Optional.empty(), Optional.empty()).status()).isEqualTo(200);
  }
}
