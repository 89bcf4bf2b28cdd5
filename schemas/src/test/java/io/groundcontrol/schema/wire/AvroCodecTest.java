package io.groundcontrol.schema.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.groundcontrol.schema.Actor;
import io.groundcontrol.schema.ActorKind;
import io.groundcontrol.schema.ReportFinished;
import io.groundcontrol.schema.StageReport;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AvroCodecTest {
  private final AvroCodec<StageReport> codec = AvroCodec.of(StageReport.class);

  private static StageReport report() {
    return StageReport.newBuilder()
        .setMissionId("m-1")
        .setStage("load")
        .setAttempt(2)
        .setWorker(new Actor(ActorKind.WORKER, "w-1", "host-a"))
        .setReportedAt(Instant.ofEpochMilli(1_700_000_000_000L))
        .setOutcome(new ReportFinished(Map.of("rows", "42")))
        .build();
  }

  @Test
  void roundTripsThroughSingleObjectEncoding() {
    byte[] bytes = codec.encode(report());

    assertThat(bytes[0]).isEqualTo((byte) 0xC3);
    assertThat(bytes[1]).isEqualTo((byte) 0x01);
    assertThat(codec.decode(bytes)).isEqualTo(report());
  }

  @Test
  void rejectsGarbageWithTheExpectedType() {
    assertThatThrownBy(() -> codec.decode(new byte[] {1, 2, 3}))
        .isInstanceOf(WireFormatException.class)
        .hasMessageContaining("Expected a single-object encoded StageReport (3 bytes)");
  }

  @Test
  void rejectsARecordOfAnotherType() {
    byte[] actor = AvroCodec.of(Actor.class).encode(new Actor(ActorKind.USER, "ann", null));

    assertThatThrownBy(() -> codec.decode(actor)).isInstanceOf(WireFormatException.class);
  }

  @Test
  void componentTopicNamesAreChecked() {
    assertThat(TopicNames.DEFAULT.instructions("bigquery")).isEqualTo("groundcontrol.instructions.bigquery");
    assertThatThrownBy(() -> TopicNames.DEFAULT.instructions("Big Query!"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'Big Query!'");
  }
}
