package io.groundcontrol.coordinator;

import static io.groundcontrol.coordinator.CoordinatorDriver.T0;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.groundcontrol.mission.TestPlan;
import io.groundcontrol.schema.InstructionKind;
import io.groundcontrol.schema.MissionStatus;
import io.groundcontrol.schema.ReportFinished;
import io.groundcontrol.schema.StageInstruction;
import io.groundcontrol.schema.wire.ReleasedSchemaSets;
import io.groundcontrol.schema.wire.SchemaSet;
import io.groundcontrol.schema.wire.WrittenSchemas;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A coordinator writing the oldest released set's schemas ({@code --write-schemas}): every record
 * it writes, to any topic, store changelog or internal topic, is of a version that build reads.
 */
class OlderSchemasTopologyTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ReleasedSchemaSets.Release OLDEST = ReleasedSchemaSets.all().get(0);

  @TempDir Path stateDir;

  private final List<String> keptCurrent = new CopyOnWriteArrayList<>();
  private final Map<Long, Schema> olderByFingerprint = new HashMap<>();
  private final Map<String, Integer> checkedPerTopic = new TreeMap<>();
  private Instant clock = T0.plusSeconds(1);

  @AfterEach
  void writeCurrentAgain() {
    WrittenSchemas.writeCurrent();
  }

  @Test
  void everyRecordACappedFanOutWritesIsOfAVersionTheOlderBuildReads() throws IOException {
    assertThat(OLDEST.set()).as("a set older than this build's").isNotEqualTo(SchemaSet.current());
    SchemaSet.WIRE_TYPES.forEach(type -> OLDEST.schemaOf(type)
        .ifPresent(schema -> olderByFingerprint.put(SchemaNormalization.parsingFingerprint64(schema), schema)));
    WrittenSchemas.writeAs(OLDEST.set(), (type, why) -> keptCurrent.add(type.getSimpleName() + ": " + why));

    try (CoordinatorDriver coordinator = new CoordinatorDriver(stateDir)) {
      coordinator.apply(TestPlan.named("fan")
          .stage("list", "lists")
          .stage("score", "scorer", Map.of("ids", "\"${chunk.items}\""), "list")
          .foreach("${stages.list.outputs.ids}", 5, 3)
          .stage("publish", "publisher", Map.of("firsts", "\"${stages.score.outputs.first}\""), "score")
          .build());
      coordinator.cap("scorer", 2, T0);
      coordinator.start("m1", "fan", tick());
      coordinator.report("m1", "list", 1, new ReportFinished(Map.of("ids",
          IntStream.range(0, 20).mapToObj(Integer::toString).collect(Collectors.joining(",", "[", "]")))), tick());

      for (List<StageInstruction> runs = runs(coordinator, "scorer"); !runs.isEmpty(); runs = runs(coordinator, "scorer")) {
        for (StageInstruction run : runs) {
          coordinator.report("m1", run.getStage(), run.getAttempt(), new ReportFinished(Map.of("first",
              JSON.readTree(run.getParams().get("ids")).get(0).toString())), tick());
        }
      }
      StageInstruction publish = runs(coordinator, "publisher").get(0);
      coordinator.report("m1", publish.getStage(), publish.getAttempt(), new ReportFinished(Map.of()), tick());

      assertThat(coordinator.stored("m1").getStatus()).isEqualTo(MissionStatus.FINISHED);
      assertThat(coordinator.storedStage("m1", "score").getFanOut().getDone()).isEqualTo(4);
      coordinator.advanceWallClock(Duration.ofMillis(250)); // the component status is published on punctuation
      for (String topic : coordinator.driver.producedTopicNames()) {
        raw(coordinator, topic).readRecordsToList().forEach(record -> check(topic, record.value()));
      }
    }

    assertThat(checkedPerTopic).containsKeys("groundcontrol.mission-events", "groundcontrol.admission-requests",
        "groundcontrol.admission-grants", "groundcontrol.instructions.scorer", "groundcontrol.component-status",
        "groundcontrol-coordinator-missions-changelog");
    assertThat(keptCurrent).isEmpty();
  }

  private Instant tick() {
    clock = clock.plusMillis(10);
    return clock;
  }

  private static TestOutputTopic<String, byte[]> raw(CoordinatorDriver coordinator, String topic) {
    return coordinator.driver.createOutputTopic(topic, new StringDeserializer(), new ByteArrayDeserializer());
  }

  private List<StageInstruction> runs(CoordinatorDriver coordinator, String component) {
    String topic = coordinator.topics.names().instructions(component);
    List<StageInstruction> runs = new ArrayList<>();
    for (TestRecord<String, byte[]> record : raw(coordinator, topic).readRecordsToList()) {
      check(topic, record.value());
      StageInstruction instruction = CoordinatorTopics.INSTRUCTION.deserializer().deserialize("", record.value());
      if (instruction.getKind() == InstructionKind.RUN) {
        runs.add(instruction);
      }
    }
    return runs;
  }

  /**
   * The value, if an Avro record (single-object encoded), is of a version the older build has, and
   * reads as that version. Some stores hold plain strings and numbers (timers, leases, counts).
   */
  private void check(String topic, byte[] value) {
    if (value == null || value.length < 10 || value[0] != (byte) 0xC3 || value[1] != 0x01) {
      return;
    }
    long fingerprint = ByteBuffer.wrap(value, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    Schema older = olderByFingerprint.get(fingerprint);
    assertThat(older).as("the writer schema of a record of %s", topic).isNotNull();
    try {
      new GenericDatumReader<>(older, older, GenericData.get())
          .read(null, DecoderFactory.get().binaryDecoder(value, 10, value.length - 10, null));
    } catch (IOException e) {
      throw new AssertionError("A record of " + topic + " does not read as " + older.getName(), e);
    }
    checkedPerTopic.merge(topic, 1, Integer::sum);
  }
}
