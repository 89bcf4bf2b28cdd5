package io.groundcontrol.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.schema.Actor;
import io.groundcontrol.schema.ActorKind;
import io.groundcontrol.schema.Cause;
import io.groundcontrol.schema.CauseKind;
import io.groundcontrol.schema.MissionCancelled;
import io.groundcontrol.schema.MissionEvent;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class MissionCommandsTest {
  private static final Actor ANN = new Actor(ActorKind.USER, "ann", "box");
  private static final Instant SENT = Instant.parse("2026-12-06T10:00:00.123Z");

  private static MissionEvent event(String missionId, CauseKind kind, Actor actor, Instant at) {
    return new MissionEvent(missionId, 3L, at, new Cause(kind, actor, null), new MissionCancelled("why"));
  }

  @Test
  void theAnswerIsTheEventOfThisIssuersCommandAtItsMillisecond() {
    assertThat(MissionCommands.isAnswer(event("m1", CauseKind.COMMAND, ANN, SENT), "m1", ANN, SENT)).isTrue();
  }

  @Test
  void otherMissionsIssuersHostsInstantsAndCausesAreNot() {
    Actor otherHost = new Actor(ActorKind.USER, "ann", "laptop");
    Actor bob = new Actor(ActorKind.USER, "bob", "box");
    assertThat(MissionCommands.isAnswer(event("m2", CauseKind.COMMAND, ANN, SENT), "m1", ANN, SENT)).isFalse();
    assertThat(MissionCommands.isAnswer(event("m1", CauseKind.COMMAND, bob, SENT), "m1", ANN, SENT)).isFalse();
    assertThat(MissionCommands.isAnswer(event("m1", CauseKind.COMMAND, otherHost, SENT), "m1", ANN, SENT)).isFalse();
    assertThat(MissionCommands.isAnswer(event("m1", CauseKind.COMMAND, ANN, SENT.plusMillis(1)), "m1", ANN, SENT))
        .isFalse();
    assertThat(MissionCommands.isAnswer(event("m1", CauseKind.TIMER, ANN, SENT), "m1", ANN, SENT)).isFalse();
  }
}
