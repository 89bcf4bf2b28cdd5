package io.groundcontrol.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.schema.Actor;
import io.groundcontrol.schema.ActorKind;
import io.groundcontrol.schema.Cause;
import io.groundcontrol.schema.CauseKind;
import io.groundcontrol.schema.MissionEvent;
import io.groundcontrol.schema.StageRetryScheduled;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TimeShiftTest {
  private static final Instant T = Instant.parse("2026-11-22T10:00:00Z");

  @Test
  void everyTimeInTheRecordMovesAndNothingElse() {
    MissionEvent event = new MissionEvent("m-1", 4L, T, new Cause(CauseKind.REPORT, new Actor(ActorKind.WORKER, "w-1", null), 1),
        StageRetryScheduled.newBuilder().setStage("load").setAttempt(2).setDueAt(T.plusSeconds(30)).build());

    MissionEvent moved = TimeShift.shift(event, Duration.ofHours(1));

    assertThat(moved.getTimestamp()).isEqualTo(T.plusSeconds(3600));
    assertThat(((StageRetryScheduled) moved.getEvent()).getDueAt()).isEqualTo(T.plusSeconds(3630));
    assertThat(moved.getSequence()).isEqualTo(4L);
    assertThat(event.getTimestamp()).as("the original is untouched").isEqualTo(T);
    assertThat(TimeShift.shift(moved, Duration.ofHours(-1))).isEqualTo(event);
  }
}
