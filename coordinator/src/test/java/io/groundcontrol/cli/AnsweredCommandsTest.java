package io.groundcontrol.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.schema.Actor;
import io.groundcontrol.schema.ActorKind;
import io.groundcontrol.schema.Cause;
import io.groundcontrol.schema.CauseKind;
import io.groundcontrol.schema.InputRejected;
import io.groundcontrol.schema.MissionEvent;
import io.groundcontrol.schema.RejectionReason;
import io.groundcontrol.schema.StageSkipped;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AnsweredCommandsTest {
  private static final Cause ANN = new Cause(CauseKind.COMMAND, new Actor(ActorKind.USER, "ann", "box"), null);

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int report(Optional<MissionEvent> answer) {
    return AnsweredCommands.report(answer, "skipped stage 'load' of m1",
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  void aRejectionSaysWhyAndExitsOne() {
    MissionEvent rejected = new MissionEvent("m1", 0L, Instant.EPOCH, ANN, InputRejected.newBuilder()
        .setInput("skip stage 'nosuch'").setReasonCode(RejectionReason.UNKNOWN_STAGE)
        .setReason("Expected stage 'nosuch' in mission 'm1', but it has no such stage").build());

    assertThat(report(Optional.of(rejected))).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .isEqualTo("Rejected: Expected stage 'nosuch' in mission 'm1', but it has no such stage\n");
    assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
  }

  @Test
  void anAppliedCommandSaysWhatItDid() {
    MissionEvent skipped = new MissionEvent("m1", 7L, Instant.EPOCH, ANN,
        StageSkipped.newBuilder().setStage("load").setReason("by hand").build());

    assertThat(report(Optional.of(skipped))).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("skipped stage 'load' of m1: ").contains("#7");
  }

  @Test
  void noAnswerLeavesTheCommandQueued() {
    assertThat(report(Optional.empty())).isZero();
    assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("No answer from a coordinator within 30 s; the command is queued.\n");
  }
}
