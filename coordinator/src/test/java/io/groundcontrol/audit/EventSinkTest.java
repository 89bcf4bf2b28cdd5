package io.groundcontrol.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.groundcontrol.schema.Actor;
import io.groundcontrol.schema.ActorKind;
import io.groundcontrol.schema.Cause;
import io.groundcontrol.schema.CauseKind;
import io.groundcontrol.schema.InputRejected;
import io.groundcontrol.schema.RejectionReason;
import io.groundcontrol.schema.MissionEvent;
import io.groundcontrol.schema.StageFinished;
import java.io.StringWriter;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventSinkTest {
  private static final Instant T = Instant.parse("2026-11-22T10:00:00Z");
  private static final Cause REPORT = new Cause(CauseKind.REPORT, new Actor(ActorKind.WORKER, "w-1", "h1"), 2);

  private final StringWriter out = new StringWriter();

  private static MissionEvent finished() {
    return new MissionEvent("m-1", 7L, T, REPORT, StageFinished.newBuilder().setStage("load").setAttempt(2)
        .setOutputs(Map.of("rows", "42")).build());
  }

  private static MissionEvent rejected() {
    return new MissionEvent("m-1", 8L, T.plusSeconds(1), REPORT,
        new InputRejected("finish stage 'load' (attempt 1) from worker w-1", "Expected a report on attempt 2, but \"it\" is on 1",
            RejectionReason.STALE_ATTEMPT));
  }

  @Test
  void jsonLinesHaveOneFlatObjectPerEvent() throws Exception {
    EventSink sink = EventSink.open(EventSink.Format.JSONL, out);

    sink.write(finished());
    sink.write(rejected());

    String[] lines = out.toString().split("\n");
    assertThat(lines).hasSize(2);
    JsonNode first = new ObjectMapper().readTree(lines[0]);
    assertThat(first.get("missionId").asText()).isEqualTo("m-1");
    assertThat(first.get("sequence").asLong()).isEqualTo(7);
    assertThat(first.get("timestamp").asText()).isEqualTo("2026-11-22T10:00:00Z");
    assertThat(first.get("cause.actor.host").asText()).isEqualTo("h1");
    assertThat(first.get("kind").asText()).isEqualTo("StageFinished");
    assertThat(first.get("outputs").get("rows").asText()).isEqualTo("42");
    assertThat(new ObjectMapper().readTree(lines[1]).get("reason").asText()).contains("\"it\"");
    assertThat(sink.written()).isEqualTo(2);
  }

  @Test
  void csvHasAHeaderOfEveryColumnAndQuotesWhatNeedsIt() {
    EventSink sink = EventSink.open(EventSink.Format.CSV, out);

    sink.write(finished());
    sink.write(rejected());

    List<String> lines = List.of(out.toString().split("\r\n"));
    assertThat(lines).hasSize(3);
    assertThat(lines.get(0)).isEqualTo(String.join(",", EventFields.columns()));
    assertThat(lines.get(1)).startsWith("m-1,7,2026-11-22T10:00:00Z,REPORT,WORKER,w-1,h1,2,StageFinished,")
        .contains(",load,").contains("\"{\"\"rows\"\":\"\"42\"\"}\"");
    assertThat(lines.get(2)).contains(",\"Expected a report on attempt 2, but \"\"it\"\" is on 1\",");
    assertThat(lines.get(2).chars().filter(c -> c == ',').count())
        .as("commas outside quotes separate exactly the columns")
        .isGreaterThanOrEqualTo(EventFields.columns().size() - 1);
  }
}
