package io.groundcontrol.coordinator;

import static io.groundcontrol.coordinator.CoordinatorDriver.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.mission.TestPlan;
import io.groundcontrol.schema.MissionCommand;
import io.groundcontrol.schema.MissionStatus;
import io.groundcontrol.schema.ReportFinished;
import io.groundcontrol.schema.StageInstruction;
import io.groundcontrol.schema.StageReport;
import io.groundcontrol.schema.wire.TopicNames;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Inputs on another partition than their key's. The test driver delivers every input on partition 0
 * of a topic configured here with 4 partitions, so a mission id whose key maps elsewhere arrives
 * misrouted, as from a producer with another partitioner.
 */
class MisroutedInputTopologyTest {
  private static final int PARTITIONS = 4;

  @TempDir Path stateDir;
  private CoordinatorDriver coordinator;
  private TestOutputTopic<String, StageInstruction> warehouse;
  private TestOutputTopic<String, MissionCommand> commandsWritten;
  private TestOutputTopic<String, StageReport> reportsWritten;

  @BeforeEach
  void setUp() {
    coordinator = new CoordinatorDriver(stateDir, Map.of(
        InputRouting.partitionsConfig(TopicNames.DEFAULT.missionCommands()), PARTITIONS,
        InputRouting.partitionsConfig(TopicNames.DEFAULT.stageReports()), PARTITIONS));
    warehouse = coordinator.instructions("warehouse");
    commandsWritten = coordinator.driver.createOutputTopic(TopicNames.DEFAULT.missionCommands(),
        new StringDeserializer(), coordinator.topics.commands().valueSerde().deserializer());
    reportsWritten = coordinator.driver.createOutputTopic(TopicNames.DEFAULT.stageReports(),
        new StringDeserializer(), coordinator.topics.reports().valueSerde().deserializer());
    coordinator.apply(TestPlan.diamond().build());
  }

  @AfterEach
  void tearDown() {
    coordinator.close();
  }

  @Test
  void anInputOnItsKeysPartitionIsProcessedWithoutAHop() {
    String missionId = missionOnPartition(0);

    coordinator.start(missionId, "diamond", T0);

    assertThat(warehouse.readValue().getStage()).isEqualTo("extract");
    assertThat(commandsWritten.isEmpty()).isTrue();
  }

  @Test
  void aMisroutedCommandHopsOnceToItsKeysPartitionAndIsProcessedThere() {
    String missionId = missionOnPartition(2);

    coordinator.start(missionId, "diamond", T0);

    // The driver delivers the copy again, as the broker would on partition 2: processed, not re-routed again.
    List<TestRecord<String, MissionCommand>> rerouted = commandsWritten.readRecordsToList();
    assertThat(rerouted).hasSize(1);
    Header from = rerouted.get(0).headers().lastHeader(InputRouting.REROUTED_HEADER);
    assertThat(new String(from.value(), StandardCharsets.UTF_8)).isEqualTo("0");
    assertThat(coordinator.newEventKinds()).containsExactly("MissionStarted", "StageDispatched");
    assertThat(warehouse.readValue().getStage()).isEqualTo("extract");
  }

  @Test
  void aMissionWhoseReportsAllArriveMisroutedStillRunsToTheEnd() {
    String missionId = missionOnPartition(1);
    coordinator.start(missionId, "diamond", T0);

    for (String stage : List.of("extract", "clean", "features", "train", "publish")) {
      coordinator.report(missionId, stage, 1, new ReportFinished(Map.of()), T0.plusSeconds(1));
    }

    assertThat(reportsWritten.readRecordsToList()).hasSize(5)
        .allSatisfy(r -> assertThat(r.headers().lastHeader(InputRouting.REROUTED_HEADER)).isNotNull());
    assertThat(coordinator.stored(missionId).getStatus()).isEqualTo(MissionStatus.FINISHED);
  }

  @Test
  void withoutAKnownPartitionCountNothingIsChecked() {
    coordinator.close();
    coordinator = new CoordinatorDriver(stateDir.resolve("other"));
    coordinator.apply(TestPlan.diamond().build());

    coordinator.start(missionOnPartition(2), "diamond", T0);

    assertThat(coordinator.newEventKinds()).containsExactly("MissionStarted", "StageDispatched");
  }

  private static String missionOnPartition(int partition) {
    List<String> ids = IntStream.range(0, 100).mapToObj(n -> "m-" + n)
        .filter(id -> InputRouting.expectedPartition(id, PARTITIONS) == partition).toList();
    return ids.get(0);
  }
}
