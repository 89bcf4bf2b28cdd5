package io.groundcontrol.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.groundcontrol.client.WriteNotTakenException;
import io.groundcontrol.query.QueryUnavailableException;
import io.groundcontrol.schema.Actor;
import io.groundcontrol.schema.ActorKind;
import io.groundcontrol.schema.CancelMission;
import java.time.Duration;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

/** What the gateway answers when Kafka does not take a command: the cluster is away, not the request wrong. */
class CommandGatewayTest {
  private static final Actor ANN = new Actor(ActorKind.USER, "ann", null);

  @Test
  void aCommandKafkaDidNotTakeIsA503WithRetryAfterThatSaysItMayStillBeDecided() throws Exception {
    try (CommandGateway gateway = new CommandGateway((actor, issuedAt, missionId, command) -> {
      throw new WriteNotTakenException("command for mission '" + missionId + "'", "...",
          new TimeoutException("Topic outage.mission-commands not present in metadata after 10000 ms."));
    }, listener -> () -> { })) {

      QueryUnavailableException answer = catchThrowableOfType(QueryUnavailableException.class,
          () -> gateway.send(ANN, "m-1", new CancelMission("r"), Duration.ofSeconds(10)));

      assertThat(answer).isNotNull();
      assertThat(answer.retryAfter()).isEqualTo(ApiErrors.RETRY_NOT_TAKEN);
      assertThat(answer.getMessage()).isEqualTo("Kafka did not take the command for mission 'm-1' (Topic "
          + "outage.mission-commands not present in metadata after 10000 ms.); is the cluster reachable? It may "
          + "still be written and decided: follow the mission, or send it again (a start with the same missionId "
          + "or Idempotency-Key starts one mission)");
    }
  }
}
