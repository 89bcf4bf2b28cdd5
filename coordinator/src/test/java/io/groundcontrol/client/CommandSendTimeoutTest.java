package io.groundcontrol.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.groundcontrol.schema.Actor;
import io.groundcontrol.schema.ActorKind;
import io.groundcontrol.schema.CancelMission;
import io.groundcontrol.schema.wire.TopicNames;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * A command sent while the cluster is unreachable (a broker outage): the HTTP API's sender gives up
 * within its send timeout, metadata wait included, and says Kafka did not take the command. Before,
 * it waited a minute for metadata (the producer's max.block.ms), then failed as any other error.
 */
class CommandSendTimeoutTest {
  /** Nothing listens on port 1: every connection is refused, as with a broker that is down. */
  private static final KafkaConnection UNREACHABLE = KafkaConnection.plaintext("127.0.0.1:1");

  @Test
  void aCommandKafkaDoesNotTakeFailsWithinTheSendTimeoutSayingSo() {
    try (MissionCommands commands = new MissionCommands(UNREACHABLE, new TopicNames("outage"),
        new Actor(ActorKind.USER, "api", null), Clock.systemUTC(), new WriteWait(Duration.ofSeconds(1)))) {
      long begin = System.nanoTime();

      WriteNotTakenException refused = catchThrowableOfType(WriteNotTakenException.class,
          () -> commands.sendAs(new Actor(ActorKind.USER, "ann", null), Instant.now(), "m-1", new CancelMission("r")));

      assertThat(Duration.ofNanos(System.nanoTime() - begin)).isLessThan(Duration.ofSeconds(15));
      assertThat(refused).isNotNull();
      assertThat(refused.getMessage()).startsWith("Kafka did not take the command for mission 'm-1' (")
          .contains("outage.mission-commands").endsWith("; is the cluster reachable? It may still be written and "
              + "decided: see the mission before sending it again (a start sent again with the same mission id or key "
              + "starts one mission)");
    }
  }
}
