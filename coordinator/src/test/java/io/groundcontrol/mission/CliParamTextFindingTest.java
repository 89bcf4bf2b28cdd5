package io.groundcontrol.mission;

import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.schema.StageInstruction;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Finding (filefuzz): `--param note=2 cats` reaches the coordinator as the JSON text "2 cats",
 * which the coordinator's lenient JSON check takes as the number 2: the worker gets 2, not "2 cats".
 */
class CliParamTextFindingTest {
  @Test
  void aParamValueWithTrailingTextIsNotSilentlyCutToItsFirstToken() throws Exception {
    var toJson = Class.forName("io.groundcontrol.cli.ParamArgs").getDeclaredMethod("toJson", String.class);
    toJson.setAccessible(true);
    String sent = (String) toJson.invoke(null, "2 cats");   // what `mission start p --param note=2 cats` sends
    InMemoryPlans plans = new InMemoryPlans().apply(TestPlan.named("quick").param("note", "\"x\"")
        .stage("only", "ml", Map.of("note", "\"${params.note}\"")));
    MissionHarness harness = new MissionHarness(plans).start("m1", "quick", Map.of("note", sent), List.of());

    assertThat(harness.lastInstructions()).singleElement().extracting(StageInstruction::getParams)
        .as("the CLI sent %s", sent)
        .isEqualTo(Map.of("note", "\"2 cats\""));
  }
}
