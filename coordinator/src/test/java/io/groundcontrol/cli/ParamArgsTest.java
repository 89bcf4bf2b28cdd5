package io.groundcontrol.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.mission.InMemoryPlans;
import io.groundcontrol.mission.MissionHarness;
import io.groundcontrol.mission.TestPlan;
import io.groundcontrol.schema.StageInstruction;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** `--param NAME=VALUE` (mission start, schedule trigger, demo): JSON only when the whole value is one JSON value. */
class ParamArgsTest {
  @Test
  void aValueThatIsOneJsonValueIsKeptAndAnythingElseIsAString() {
    assertThat(ParamArgs.toJson("42")).isEqualTo("42");
    assertThat(ParamArgs.toJson(" true ")).isEqualTo(" true ");
    assertThat(ParamArgs.toJson("{\"a\":1}")).isEqualTo("{\"a\":1}");
    assertThat(ParamArgs.toJson("2026-11-22")).isEqualTo("\"2026-11-22\"");
    assertThat(ParamArgs.toJson("")).isEqualTo("\"\"");
    assertThat(ParamArgs.toJson(" ")).isEqualTo("\" \"");
  }

  @Test
  void aValueWithTextAfterALeadingJsonValueIsAString() {
    assertThat(ParamArgs.toJson("2 cats")).isEqualTo("\"2 cats\"");
    assertThat(ParamArgs.toJson("true story")).isEqualTo("\"true story\"");
    assertThat(ParamArgs.toJson("null and void")).isEqualTo("\"null and void\"");
    assertThat(ParamArgs.toJson("[1] [2]")).isEqualTo("\"[1] [2]\"");
  }

  @Test
  void theWorkerGetsTheWholeTextNotItsFirstToken() {
    String sent = ParamArgs.toJson("2 cats");
    InMemoryPlans plans = new InMemoryPlans().apply(TestPlan.named("quick").param("note", "\"x\"")
        .stage("only", "ml", Map.of("note", "\"${params.note}\"")));
    MissionHarness harness = new MissionHarness(plans).start("m1", "quick", Map.of("note", sent), List.of());

    assertThat(harness.lastInstructions()).singleElement().extracting(StageInstruction::getParams)
        .isEqualTo(Map.of("note", "\"2 cats\""));
  }
}
