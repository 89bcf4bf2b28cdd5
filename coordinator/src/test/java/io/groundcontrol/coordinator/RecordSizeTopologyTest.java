package io.groundcontrol.coordinator;

import static io.groundcontrol.coordinator.CoordinatorDriver.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.mission.TestPlan;
import io.groundcontrol.mission.TextLimits;
import io.groundcontrol.schema.CancelMission;
import io.groundcontrol.schema.InputRejected;
import io.groundcontrol.schema.MissionEvent;
import io.groundcontrol.schema.MissionHeader;
import io.groundcontrol.schema.MissionStatus;
import io.groundcontrol.schema.RejectionReason;
import io.groundcontrol.schema.ReportFailed;
import io.groundcontrol.schema.ReportFinished;
import io.groundcontrol.schema.StageError;
import io.groundcontrol.schema.StageStatus;
import io.groundcontrol.schema.StartMission;
import io.groundcontrol.schema.StoredStage;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Records the coordinator builds from several inputs, each within its own limit, stay within
 * Kafka's record limit: a record it cannot write would stop its stream thread, and every mission on
 * it. The test driver writes any size, so the sizes are measured here.
 */
class RecordSizeTopologyTest {
  /** Kafka's default limit on a record (max.message.bytes, max.request.size). */
  private static final int KAFKA_RECORD_LIMIT = 1024 * 1024;

  @TempDir Path stateDir;

  private CoordinatorDriver coordinator;
  private TestOutputTopic<String, byte[]> changelog;
  private Instant clock = T0;

  @BeforeEach
  void setUp() {
    coordinator = new CoordinatorDriver(stateDir);
    String applicationId = coordinator.config.streamsProperties().getProperty(StreamsConfig.APPLICATION_ID_CONFIG);
    changelog = coordinator.driver.createOutputTopic(
        applicationId + "-" + CoordinatorTopology.MISSION_STORE + "-changelog", new StringDeserializer(),
        new ByteArrayDeserializer());
  }

  @AfterEach
  void tearDown() {
    coordinator.close();
  }

  private Instant tick() {
    clock = clock.plusSeconds(1);
    return clock;
  }

  /** The largest missions-store record written since the last call. */
  private int largestStoreRecord() {
    return changelog.readValuesToList().stream().mapToInt(v -> v == null ? 0 : v.length).max().orElse(0);
  }

  @Test
  void sixteenStagesWithOutputsEachWithinTheLimitMoveToEntriesAndFinish() {
    TestPlan sixteen = TestPlan.named("sixteen");
    for (int i = 0; i < 16; i++) {
      sixteen.stage("s" + i, "w");
    }
    coordinator.apply(sixteen.build());
    coordinator.start("m1", "sixteen", tick());
    // 65,534 bytes: within the default 64 KiB a stage's outputs may take.
    String output = "\"" + "x".repeat(65_531) + "\"";
    for (int i = 0; i < 16; i++) {
      coordinator.report("m1", "s" + i, 1, new ReportFinished(Map.of("o", output)), tick());
    }

    assertThat(coordinator.stored("m1").getStatus()).isEqualTo(MissionStatus.FINISHED);
    assertThat(coordinator.storedStage("m1", "s15").getOutputs()).containsEntry("o", output);
    assertThat(largestStoreRecord()).isLessThanOrEqualTo(WholeSize.MAX_BYTES);
    KeyValueStore<String, SpecificRecord> store = coordinator.driver.getKeyValueStore(CoordinatorTopology.MISSION_STORE);
    assertThat(store.get("m1").getClass()).as("16 stages of 64 KiB: past the size of a whole record")
        .isEqualTo(MissionHeader.class);
  }

  @Test
  void aForeachOverALargeParamDoesNotHoldItsItemsTwiceInOneRecord() {
    coordinator.apply(TestPlan.named("fan").param("ids", null)
        .stage("score", "scorer", Map.of("ids", "\"${chunk.items}\""))
        .foreach("${params.ids}", 10_000, 2).build());
    StringJoiner ids = new StringJoiner(",", "[", "]");
    for (int i = 0; i < 20_000; i++) {
      ids.add(String.format("\"id-%05d\"", i));
    }
    coordinator.command("m1", new StartMission("fan", Map.of("ids", ids.toString()), List.of(), List.of(), false, 0),
        tick());

    assertThat(coordinator.storedStage("m1", "score").getStatus()).isEqualTo(StageStatus.RUNNING);
    assertThat(largestStoreRecord()).as("the params, not the params and every chunk's items")
        .isLessThanOrEqualTo(WholeSize.MAX_BYTES);
  }

  @Test
  void longErrorsAreCutAndTheMissionFails() {
    coordinator.apply(TestPlan.named("errs").stage("a", "w").stage("b", "w").build());
    coordinator.start("m1", "errs", tick());
    String message = "upstream said: " + "E".repeat(300_000);
    String detail = "java.lang.IllegalStateException: " + message + "\n\tat Handler.run(Handler.java:1)";
    coordinator.report("m1", "a", 1, new ReportFailed(new StageError(message, detail, false)), tick());
    coordinator.report("m1", "b", 1, new ReportFailed(new StageError(message, detail, false)), tick());

    assertThat(coordinator.stored("m1").getStatus()).isEqualTo(MissionStatus.FAILED);
    assertThat(largestStoreRecord()).isLessThan(KAFKA_RECORD_LIMIT);
    StoredStage a = coordinator.storedStage("m1", "a");
    assertThat(TextLimits.utf8Length(a.getError().getMessage())).isLessThanOrEqualTo(TextLimits.MAX_MESSAGE_BYTES);
    assertThat(TextLimits.utf8Length(a.getError().getDetail())).isLessThanOrEqualTo(TextLimits.MAX_DETAIL_BYTES);
    assertThat(a.getError().getMessage()).startsWith("upstream said: EEE").contains("E ... [cut ")
        .endsWith(" of 300015 bytes]");
    assertThat(coordinator.stored("m1").getReason().length()).isLessThan(3 * TextLimits.MAX_MESSAGE_BYTES);
    assertThat(coordinator.stored("m1").getReason()).startsWith("stage 'a' failed on attempt 1: upstream said: EEE");
  }

  @Test
  void aMissionsFailureReasonNamesTenFailedAndTenBlockedStages() {
    TestPlan wide = TestPlan.named("wide");
    for (int i = 0; i < 12; i++) {
      wide.stage(String.format("f%02d", i), "w").stage(String.format("d%02d", i), "w", String.format("f%02d", i));
    }
    coordinator.apply(wide.build());
    coordinator.start("m1", "wide", tick());
    for (int i = 0; i < 12; i++) {
      coordinator.report("m1", String.format("f%02d", i), 1, new ReportFailed(new StageError("boom " + i, null, false)),
          tick());
    }

    String reason = coordinator.stored("m1").getReason();
    assertThat(reason).startsWith("stage 'f00' failed on attempt 1: boom 0; stage 'f01'")
        .contains("stage 'f09' failed on attempt 1: boom 9; and 2 more stages failed (not run: d00, d01")
        .endsWith("d09, and 2 more)").doesNotContain("f10").doesNotContain("d11");
  }

  @Test
  void aStartWithParamsTooLargeIsRejectedWithoutQuotingThem() {
    coordinator.apply(TestPlan.named("big").param("blob", null).stage("a", "w").build());
    String json = "\"" + "x".repeat(300_000) + "\"";
    coordinator.command("m1", new StartMission("big", Map.of("blob", json), List.of(), List.of(), false, 0), tick());
    coordinator.command("m2", new StartMission("big", Map.of("blob", "x".repeat(300_000)), List.of(), List.of(), false,
        0), tick());
    // Not kept waiting for its plan, where its params alone would fill a record of the parked starts.
    coordinator.command("m3", new StartMission("not-yet", Map.of("blob", json), List.of(), List.of(), false, 0), tick());

    List<MissionEvent> events = coordinator.events.readValuesToList();
    assertThat(events).hasSize(3).allSatisfy(e -> assertThat(e.getEvent()).isInstanceOfSatisfying(InputRejected.class,
        r -> {
          assertThat(r.getReason().length()).isLessThan(300);
          assertThat(r.getReasonCode()).isEqualTo(RejectionReason.INVALID_INPUT);
          assertThat(r.getReason()).startsWith("Expected params of at most 262144 bytes, but they take 30000");
        }));
    assertThat(coordinator.stored("m1")).isNull();
    assertThat(coordinator.stored("m2")).isNull();
  }

  @Test
  void aLongCancelReasonIsCut() {
    coordinator.apply(TestPlan.named("one").stage("a", "w").build());
    coordinator.start("m1", "one", tick());
    coordinator.command("m1", new CancelMission("because " + "z".repeat(100_000)), tick());

    String reason = coordinator.stored("m1").getReason();
    assertThat(coordinator.stored("m1").getStatus()).isEqualTo(MissionStatus.CANCELLED);
    assertThat(TextLimits.utf8Length(reason)).isLessThan(TextLimits.MAX_MESSAGE_BYTES + 100);
    assertThat(reason).startsWith("because zzz").endsWith(" of 100008 bytes] (cancelled by ann)");
  }
}
