package io.groundcontrol.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.mission.EventAppliers;
import io.groundcontrol.mission.Mission;
import io.groundcontrol.mission.TestPlan;
import io.groundcontrol.schema.MissionEvent;
import io.groundcontrol.schema.MissionStatus;
import io.groundcontrol.testing.GroundcontrolFixture;
import io.groundcontrol.testing.KafkaBrokerExtension;
import io.groundcontrol.worker.api.StageResult;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Data flow on a real broker: outputs reach downstream handlers as resolved params. */
class DataFlowIT {
  @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

  private GroundcontrolFixture groundcontrol;

  @AfterEach
  void tearDown() {
    if (groundcontrol != null) {
      groundcontrol.close();
    }
  }

  @Test
  void handlersReceiveUpstreamOutputsAsResolvedParams() {
    groundcontrol = new GroundcontrolFixture(KAFKA, "outputs").startCoordinator().apply(TestPlan.named("flow")
        .stage("extract", "warehouse")
        .stage("features", "ml", Map.of("source", "\"${stages.extract.outputs.table}\""), "extract")
        .stage("publish", "ml", Map.of(
            "tables", "[\"${stages.extract.outputs.table}\", \"${stages.features.outputs.table}\"]",
            "rows", "\"${stages.extract.outputs.rows}\""), "features")
        .build());
    Map<String, Map<String, String>> seen = new ConcurrentHashMap<>();
    groundcontrol.worker("warehouse", 1, context ->
        StageResult.finished().stringOutput("table", "staging.events").output("rows", "1042"));
    groundcontrol.worker("ml", 1, context -> {
      seen.put(context.stage(), context.params());
      return StageResult.finished().stringOutput("table", "features." + context.missionId().replace('-', '_'));
    });

    groundcontrol.start("m-flow", "flow");
    List<MissionEvent> log = groundcontrol.awaitEnd(List.of("m-flow"), Duration.ofSeconds(60)).get("m-flow");

    Mission mission = new EventAppliers().replay(log);
    assertThat(mission.status()).isEqualTo(MissionStatus.FINISHED);
    assertThat(seen.get("features")).containsEntry("source", "\"staging.events\"");
    assertThat(seen.get("publish"))
        .containsEntry("tables", "[\"staging.events\",\"features.m_flow\"]")
        .containsEntry("rows", "1042");
  }
}
