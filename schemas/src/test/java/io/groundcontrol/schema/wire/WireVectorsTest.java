package io.groundcontrol.schema.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.groundcontrol.schema.Actor;
import io.groundcontrol.schema.ActorKind;
import io.groundcontrol.schema.CancelMission;
import io.groundcontrol.schema.InstructionKind;
import io.groundcontrol.schema.MissionCommand;
import io.groundcontrol.schema.ReportFailed;
import io.groundcontrol.schema.ReportFinished;
import io.groundcontrol.schema.ReportHeartbeat;
import io.groundcontrol.schema.ReportStarted;
import io.groundcontrol.schema.StageError;
import io.groundcontrol.schema.StageInstruction;
import io.groundcontrol.schema.StageReport;
import io.groundcontrol.schema.StartMission;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.JsonEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The test vectors of the topic contract: one JSON file per sample record in
 * {@code src/test/resources/vectors}, holding the record in Avro's JSON encoding, its writer schema's
 * fingerprint in hex and its single-object encoding in hex. The Python SDK's tests read the same files,
 * so both languages are held to the same bytes. A schema change fails this test with the new vector
 * written to {@code target/vectors}, to be copied over.
 */
class WireVectorsTest {
  private static final Path VECTORS = Path.of("src", "test", "resources", "vectors");
  private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
  private static final Actor WORKER = new Actor(ActorKind.WORKER, "py-worker-1", "host-a");

  record Vector(String name, SpecificRecord record) {}

  static List<Vector> vectors() {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("date", "\"2026-11-22\"");
    params.put("limit", "1000");
    params.put("hyperparameters", "{\"depth\":6}");
    return List.of(
        new Vector("StageInstruction-run", StageInstruction.newBuilder()
            .setKind(InstructionKind.RUN).setMissionId("m-1").setPlanName("nightly").setStage("train")
            .setComponent("ml").setAttempt(2).setParams(params).setDispatchedAt(T0).setTimeoutMs(7_200_000L)
            .build()),
        new Vector("StageInstruction-cancel", StageInstruction.newBuilder()
            .setKind(InstructionKind.CANCEL).setMissionId("m-1").setPlanName("nightly").setStage("train")
            .setComponent("ml").setAttempt(2).setParams(Map.of()).setDispatchedAt(T0).setTimeoutMs(null).build()),
        new Vector("StageReport-started", report(new ReportStarted(5_000L, T0.minusMillis(100)))),
        new Vector("StageReport-heartbeat-opt-out", report(new ReportHeartbeat(null))),
        new Vector("StageReport-finished", report(new ReportFinished(Map.of("rows", "42")))),
        new Vector("StageReport-failed", report(new ReportFailed(
            new StageError("ValueError: bad date", "Traceback (most recent call last):\n  ...", false)))),
        new Vector("MissionCommand-start", MissionCommand.newBuilder()
            .setMissionId("m-1").setIssuedBy(new Actor(ActorKind.USER, "ada", null)).setIssuedAt(T0)
            .setCommand(StartMission.newBuilder().setPlanName("nightly").setParams(Map.of("date", "\"2026-11-22\""))
                .build())
            .build()),
        new Vector("MissionCommand-cancel", MissionCommand.newBuilder()
            .setMissionId("m-1").setIssuedBy(new Actor(ActorKind.USER, "ada", null)).setIssuedAt(T0)
            .setCommand(new CancelMission("no longer needed")).build()));
  }

  private static StageReport report(Object outcome) {
    return StageReport.newBuilder().setMissionId("m-1").setStage("train").setAttempt(2).setWorker(WORKER)
        .setReportedAt(T0).setOutcome(outcome).build();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  @SuppressWarnings({"unchecked", "rawtypes"})
  void theStoredVectorIsWhatTheCodecWritesAndReads(Vector vector) throws IOException {
    SpecificRecord record = vector.record();
    AvroCodec codec = AvroCodec.of(record.getClass());
    byte[] bytes = codec.encode(record);
    String expected = vectorFile(vector.name(), record, bytes);
    Path file = VECTORS.resolve(vector.name() + ".json");
    if (!Files.exists(file) || !Files.readString(file).equals(expected)) {
      Path candidate = Path.of("target", "vectors", vector.name() + ".json");
      Files.createDirectories(candidate.getParent());
      Files.writeString(candidate, expected);
      fail("The test vector " + file + " is " + (Files.exists(file) ? "out of date" : "missing")
          + ": if the schema change is intended, copy " + candidate.toAbsolutePath() + " to " + file.toAbsolutePath());
    }
    assertThat(codec.decode(HexFormat.of().parseHex(hexOf(expected)))).isEqualTo(record);
    assertThat(fromAvroJson(record, avroJson(record))).isEqualTo(record);
  }

  private static String vectorFile(String name, SpecificRecord record, byte[] bytes) throws IOException {
    String fingerprint = AvroCodec.fingerprintHex(SchemaNormalization.parsingFingerprint64(record.getSchema()));
    return "{\n"
        + "  \"name\": \"" + name + "\",\n"
        + "  \"record\": \"" + record.getSchema().getName() + "\",\n"
        + "  \"fingerprint\": \"" + fingerprint + "\",\n"
        + "  \"avroJson\": " + avroJson(record) + ",\n"
        + "  \"hex\": \"" + HexFormat.of().formatHex(bytes) + "\"\n"
        + "}\n";
  }

  private static String hexOf(String vectorFile) {
    int start = vectorFile.indexOf("\"hex\": \"") + 8;
    return vectorFile.substring(start, vectorFile.indexOf('"', start));
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static String avroJson(SpecificRecord record) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    JsonEncoder encoder = EncoderFactory.get().jsonEncoder(record.getSchema(), out);
    new SpecificDatumWriter(record.getSchema()).write(record, encoder);
    encoder.flush();
    return out.toString(StandardCharsets.UTF_8);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Object fromAvroJson(SpecificRecord record, String json) throws IOException {
    return new SpecificDatumReader(record.getSchema())
        .read(null, DecoderFactory.get().jsonDecoder(record.getSchema(), json));
  }
}
