package io.groundcontrol.schema.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.groundcontrol.schema.ApiKey;
import io.groundcontrol.schema.ActorKind;
import io.groundcontrol.schema.AdmissionEntry;
import io.groundcontrol.schema.AdmissionRequest;
import io.groundcontrol.schema.ComponentSettings;
import io.groundcontrol.schema.ComponentStatus;
import io.groundcontrol.schema.SlotGrant;
import io.groundcontrol.schema.CauseKind;
import io.groundcontrol.schema.InputRejected;
import io.groundcontrol.schema.MissionHeader;
import io.groundcontrol.schema.StoredStage;
import io.groundcontrol.schema.MissionCancelled;
import io.groundcontrol.schema.MissionCommand;
import io.groundcontrol.schema.MissionEvent;
import io.groundcontrol.schema.MissionFailed;
import io.groundcontrol.schema.MissionFinished;
import io.groundcontrol.schema.MissionStarted;
import io.groundcontrol.schema.MissionState;
import io.groundcontrol.schema.MissionStatus;
import io.groundcontrol.schema.Plan;
import io.groundcontrol.schema.ReportStarted;
import io.groundcontrol.schema.ResultAnswer;
import io.groundcontrol.schema.ResultEntry;
import io.groundcontrol.schema.ResultRequest;
import io.groundcontrol.schema.StageDispatched;
import io.groundcontrol.schema.StageExcluded;
import io.groundcontrol.schema.StageFailed;
import io.groundcontrol.schema.StageFinished;
import io.groundcontrol.schema.StageInstruction;
import io.groundcontrol.schema.StageReport;
import io.groundcontrol.schema.StageStarted;
import io.groundcontrol.schema.StageStatus;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * Records written by older releases stay readable. The {@code .bin} files under
 * {@code src/test/resources/io/groundcontrol/schema/history/} were encoded by the v1 release
 * (commit f9f64f0) with its own generated classes and codec, and are never regenerated.
 */
class SchemaHistoryTest {
  private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

  private final AvroCodec<MissionEvent> events = AvroCodec.of(MissionEvent.class);

  @Test
  void aV1MissionStartedDecodesWithItsCauseAndParams() {
    MissionEvent event = events.decode(v1("MissionEvent-v1-01-MissionStarted.bin"));

    assertThat(event.getMissionId()).isEqualTo("m-1");
    assertThat(event.getSequence()).isEqualTo(1L);
    assertThat(event.getTimestamp()).isEqualTo(T0);
    assertThat(event.getCause().getKind()).isEqualTo(CauseKind.COMMAND);
    assertThat(event.getCause().getActor().getKind()).isEqualTo(ActorKind.USER);
    assertThat(event.getCause().getActor().getId()).isEqualTo("ann");
    assertThat(event.getCause().getActor().getHost()).isEqualTo("laptop");
    MissionStarted started = (MissionStarted) event.getEvent();
    assertThat(started.getPlanName()).isEqualTo("diamond");
    assertThat(started.getParams()).isEqualTo(Map.of("day", "\"2026-11-22\""));
    assertThat(started.getStages()).containsExactly("extract", "clean", "features", "train", "publish");
  }

  @Test
  void v1StageEventsDecodeWithAttemptsOutputsAndErrors() {
    StageDispatched dispatched = (StageDispatched) events.decode(v1("MissionEvent-v1-02-StageDispatched.bin")).getEvent();
    MissionEvent startedEvent = events.decode(v1("MissionEvent-v1-03-StageStarted.bin"));
    StageFinished finished = (StageFinished) events.decode(v1("MissionEvent-v1-04-StageFinished.bin")).getEvent();
    StageFailed failed = (StageFailed) events.decode(v1("MissionEvent-v1-05-StageFailed.bin")).getEvent();
    StageExcluded excluded = (StageExcluded) events.decode(v1("MissionEvent-v1-09-StageExcluded.bin")).getEvent();

    assertThat(dispatched.getComponent()).isEqualTo("warehouse");
    assertThat(dispatched.getParams()).isEqualTo(Map.of("table", "\"sales\""));
    assertThat(startedEvent.getCause().getAttempt()).isEqualTo(1);
    assertThat(((StageStarted) startedEvent.getEvent()).getWorker()).isEqualTo("w-1");
    assertThat(finished.getOutputs()).isEqualTo(Map.of("rows", "42"));
    assertThat(failed.getError().getMessage()).isEqualTo("feature store unreachable");
    assertThat(failed.getError().getDetail()).startsWith("java.lang.IllegalStateException");
    assertThat(failed.getError().getRetryable()).isTrue();
    assertThat(excluded.getReason()).isEqualTo("excluded at start");
  }

  @Test
  void v1MissionEndingsAndRejectionsDecode() {
    MissionEvent rejected = events.decode(v1("MissionEvent-v1-08-InputRejected.bin"));

    assertThat(events.decode(v1("MissionEvent-v1-06-MissionFailed.bin")).getEvent())
        .isInstanceOfSatisfying(MissionFailed.class, e -> assertThat(e.getReason()).startsWith("stage 'features'"));
    assertThat(events.decode(v1("MissionEvent-v1-07-MissionCancelled.bin")).getEvent())
        .isInstanceOfSatisfying(MissionCancelled.class, e -> assertThat(e.getReason()).isNull());
    assertThat(events.decode(v1("MissionEvent-v1-10-MissionFinished.bin")).getEvent()).isInstanceOf(MissionFinished.class);
    assertThat(rejected.getSequence()).isZero();
    assertThat(((InputRejected) rejected.getEvent()).getInput()).isEqualTo("finish stage 'load' (attempt 2) from worker w-1");
  }

  @Test
  void aV1MissionStateFromAStoreChangelogDecodes() {
    MissionState state = AvroCodec.of(MissionState.class).decode(v1("MissionState-v1.bin"));

    assertThat(state.getStatus()).isEqualTo(MissionStatus.FAILED);
    assertThat(state.getSequence()).isEqualTo(6L);
    assertThat(state.getStages()).extracting(s -> s.getName() + ":" + s.getStatus())
        .containsExactly("extract:FINISHED", "features:FAILED", "train:WAITING");
    assertThat(state.getStages().get(0).getStatus()).isEqualTo(StageStatus.FINISHED);
  }

  @Test
  void aV1StageReportDecodesThroughTheSerde() {
    StageReport report = AvroSerde.of(StageReport.class).deserializer().deserialize("t", v1("StageReport-v1.bin"));

    assertThat(report.getOutcome()).isInstanceOf(ReportStarted.class);
    assertThat(report.getWorker().getId()).isEqualTo("w-1");
  }

  @Test
  void withoutItsHistoryTheCurrentSchemaCannotReadV1Events() {
    Schema current = MissionEvent.getClassSchema();
    BinaryMessageDecoder<MissionEvent> bare = new BinaryMessageDecoder<>(SpecificData.getForClass(MissionEvent.class), current);

    assertThatThrownBy(() -> bare.decode(v1("MissionEvent-v1-01-MissionStarted.bin")))
        .hasMessageContaining("Cannot resolve schema for fingerprint");
  }

  @ParameterizedTest
  @MethodSource("wireTypes")
  void everyRecordedVersionResolvesToTheCurrentSchema(Class<? extends SpecificRecord> type) {
    String name = type.getSimpleName();
    List<Schema> history = SchemaHistory.of(type);

    assertThat(history).as("history of " + name).isNotEmpty();
    for (int i = 0; i < history.size(); i++) {
      SchemaCompatibility.SchemaPairCompatibility compatibility =
          SchemaCompatibility.checkReaderWriterCompatibility(SpecificData.get().getSchema(type), history.get(i));
      assertThat(compatibility.getType())
          .as(name + " v" + (i + 1) + " read with the current schema: " + compatibility.getDescription())
          .isEqualTo(SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE);
    }
  }

  /**
   * The guard that keeps the history complete: a schema change without a new history file fails
   * here, and leaves the file to add under {@code target/schema-history/}.
   */
  @ParameterizedTest
  @MethodSource("wireTypes")
  void theCurrentSchemaIsTheLatestRecordedVersion(Class<? extends SpecificRecord> type) throws IOException {
    String name = type.getSimpleName();
    Schema current = SpecificData.get().getSchema(type);
    List<Schema> history = SchemaHistory.of(type);
    if (history.isEmpty() || fingerprint(history.get(history.size() - 1)) != fingerprint(current)) {
      String file = name + "-v" + (history.size() + 1) + ".avsc";
      Path candidate = Path.of("target", "schema-history", file);
      Files.createDirectories(candidate.getParent());
      Files.writeString(candidate, current.toString(true) + "\n");
      throw new AssertionError("Expected the current " + name + " schema to be recorded in its history, but "
          + (history.isEmpty() ? "it has none" : "it differs from v" + history.size()) + ": copy " + candidate.toAbsolutePath() + " to schemas/src/main/resources/"
          + SchemaHistory.DIRECTORY + file + " (see docs/audit.md, \"Schema changes\")");
    }
  }

  static List<Class<? extends SpecificRecord>> wireTypes() {
    return SchemaSet.WIRE_TYPES;
  }

  private static long fingerprint(Schema schema) {
    return SchemaNormalization.parsingFingerprint64(schema);
  }

  private static byte[] v1(String file) {
    try (InputStream in = SchemaHistoryTest.class.getResourceAsStream("/io/groundcontrol/schema/history/" + file)) {
      assertThat(in).as("test data " + file).isNotNull();
      return in.readAllBytes();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
