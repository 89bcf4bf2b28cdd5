package io.groundcontrol.coordinator;

import static io.groundcontrol.coordinator.CoordinatorDriver.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.mission.MissionLimits;
import io.groundcontrol.mission.TestPlan;
import io.groundcontrol.schema.MissionStatus;
import io.groundcontrol.schema.ReportFinished;
import io.groundcontrol.schema.StageInstruction;
import io.groundcontrol.schema.StageStatus;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.streams.TestOutputTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Outputs passed downstream through the whole topology, with the store's entry-per-stage layout. */
class OutputsTopologyTest {
  @TempDir Path stateDir;

  private static final TestPlan FLOW = TestPlan.named("flow")
      .stage("extract", "warehouse")
      .stage("train", "ml", Map.of("table", "\"${stages.extract.outputs.table}\"",
          "note", "\"${stages.extract.outputs.rows} rows\""), "extract");

  @Test
  void theDownstreamInstructionCarriesTheUpstreamOutputs() {
    try (CoordinatorDriver coordinator = new CoordinatorDriver(stateDir)) {
      TestOutputTopic<String, StageInstruction> ml = coordinator.instructions("ml");
      coordinator.apply(FLOW.build());
      coordinator.start("m1", "flow", T0);
      coordinator.report("m1", "extract", 1,
          new ReportFinished(Map.of("table", "{\"name\":\"sales\"}", "rows", "12")), T0.plusSeconds(1));

      StageInstruction train = ml.readValue();
      assertThat(train.getStage()).isEqualTo("train");
      assertThat(train.getParams()).containsEntry("table", "{\"name\":\"sales\"}").containsEntry("note", "\"12 rows\"");
    }
  }

  @Test
  void theOutputsLimitSurvivesAStreamsOverrideAsTheApiSetsOne() {
    CoordinatorConfig config = CoordinatorConfig.defaults("unused:9092", stateDir).withLimits(MissionLimits.DEFAULTS.withMaxOutputBytes(16))
        .withOverride("application.server", "127.0.0.1:8080");

    assertThat(config.limits()).isEqualTo(MissionLimits.DEFAULTS.withMaxOutputBytes(16));
  }

  @Test
  void theOutputsLimitIsTheCoordinators() {
    CoordinatorConfig config = CoordinatorConfig.defaults("unused:9092", stateDir).withLimits(MissionLimits.DEFAULTS.withMaxOutputBytes(16));
    try (CoordinatorDriver coordinator = new CoordinatorDriver(config)) {
      coordinator.apply(FLOW.build());
      coordinator.start("m1", "flow", T0);
      coordinator.report("m1", "extract", 1, new ReportFinished(Map.of("table", "\"a_rather_long_name\"")),
          T0.plusSeconds(1));

      assertThat(coordinator.storedStage("m1", "extract").getStatus()).isEqualTo(StageStatus.FAILED);
      assertThat(coordinator.storedStage("m1", "extract").getError().getMessage())
          .startsWith("Expected outputs of at most 16 bytes, but the attempt reported 25 bytes");
      assertThat(coordinator.stored("m1").getStatus()).isEqualTo(MissionStatus.FAILED);
    }
  }
}
