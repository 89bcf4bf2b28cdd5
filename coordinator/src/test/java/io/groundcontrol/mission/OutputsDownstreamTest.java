package io.groundcontrol.mission;

import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.schema.MissionStatus;
import io.groundcontrol.schema.StageError;
import io.groundcontrol.schema.StageFailed;
import io.groundcontrol.schema.StageInstruction;
import io.groundcontrol.schema.StageStatus;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code ${stages.STAGE.outputs.NAME}}: outputs of finished stages flow into downstream params. */
class OutputsDownstreamTest {
  private final InMemoryPlans plans = new InMemoryPlans().apply(TestPlan.named("flow")
      .param("day", "\"2026-11-22\"")
      .stage("extract", "warehouse")
      .stage("clean", "warehouse", "extract")
      .stage("load", "warehouse", Map.of(
          "rows", "\"${stages.extract.outputs.rows}\"",
          "spec", "{\"tables\": [\"${stages.extract.outputs.table}\"], \"day\": \"${params.day}\"}",
          "query", "\"select * from ${stages.extract.outputs.table} limit ${stages.extract.outputs.rows}\""),
          "clean"));
  private final MissionHarness harness = new MissionHarness(plans);

  private StageInstruction instructionFor(String stage) {
    return harness.lastInstructions().stream().filter(i -> i.getStage().equals(stage)).findFirst().orElseThrow();
  }

  @Test
  void aWholeReferenceKeepsItsJsonTypeAndTextAroundOneMakesAString() {
    harness.start("m1", "flow")
        .stage("m1", "extract").finished(Map.of("table", "\"sales_2026\"", "rows", "1042"))
        .stage("m1", "clean").finished();

    assertThat(instructionFor("load").getParams()).containsExactlyInAnyOrderEntriesOf(Map.of(
        "rows", "1042",
        "spec", "{\"tables\":[\"sales_2026\"],\"day\":\"2026-11-22\"}",
        "query", "\"select * from sales_2026 limit 1042\""));
  }

  @Test
  void objectOutputsStayObjects() {
    harness.start("m1", "flow")
        .stage("m1", "extract").finished(Map.of("table", "{\"dataset\":\"s\",\"name\":\"t\"}", "rows", "[1,2]"))
        .stage("m1", "clean").finished();

    assertThat(instructionFor("load").getParams())
        .containsEntry("rows", "[1,2]")
        .containsEntry("spec", "{\"tables\":[{\"dataset\":\"s\",\"name\":\"t\"}],\"day\":\"2026-11-22\"}");
  }

  @Test
  void aValueFilledInIsNotScannedForReferencesAgain() {
    harness.start("m1", "flow")
        .stage("m1", "extract").finished(Map.of("table", "\"${params.day}\"", "rows", "1"))
        .stage("m1", "clean").finished();

    assertThat(instructionFor("load").getParams()).containsEntry("query", "\"select * from ${params.day} limit 1\"");
  }

  @Test
  void aMissingOutputFailsTheStageForGoodNamingStageAndOutput() {
    harness.start("m1", "flow")
        .stage("m1", "extract").finished(Map.of("rows", "1"))
        .stage("m1", "clean").finished();

    assertThat(harness.lastEvents()).containsExactly("StageFinished", "StageFailed", "MissionFailed");
    assertThat(harness.lastInstructions()).isEmpty();
    StageError error = ((StageFailed) harness.lastEventRecords().get(1).getEvent()).getError();
    assertThat(error.getRetryable()).isFalse();
    assertThat(error.getMessage())
        .isEqualTo("Expected output 'table' of stage 'extract', but stage 'extract' finished without it (outputs: rows)");
    MissionView mission = harness.mission("m1");
    assertThat(mission.stage("load").orElseThrow().status()).isEqualTo(StageStatus.FAILED);
    assertThat(mission.reason().orElseThrow()).startsWith("stage 'load' failed before its first attempt: Expected output");
  }

  @Test
  void aSkippedUpstreamHasNoOutputsToGive() {
    harness.start("m1", "flow").skip("m1", "extract").stage("m1", "clean").finished();

    assertThat(harness.mission("m1").stage("load").orElseThrow().error().orElseThrow().getMessage())
        .isEqualTo("Expected output 'table' of stage 'extract', but stage 'extract' is SKIPPED and has no outputs");
    assertThat(harness.mission("m1").status()).isEqualTo(MissionStatus.FAILED);
  }

  @Test
  void anOutputThatIsNotJsonTextFailsTheUpstreamStageSoNoDownstreamSeesIt() {
    harness.start("m1", "flow").stage("m1", "extract").finished(Map.of("table", "sales", "rows", "1"));

    assertThat(harness.mission("m1").stage("extract").orElseThrow().status()).isEqualTo(StageStatus.FAILED);
    assertThat(harness.mission("m1").stage("extract").orElseThrow().error().orElseThrow().getMessage())
        .startsWith("Expected output 'table' to be JSON text");
  }

  @Test
  void retryingAStageWhoseOutputIsMissingFailsItAgainAndEndsTheMission() {
    harness.start("m1", "flow")
        .stage("m1", "extract").finished(Map.of("rows", "1"))
        .stage("m1", "clean").finished()
        .retry("m1", "load", false);

    assertThat(harness.lastEvents()).containsExactly("MissionResumed", "StageReset", "StageFailed", "MissionFailed");
  }

  @Test
  void outputsBeyondTheLimitFailTheStageForGood() {
    MissionHarness limited = new MissionHarness(plans, MissionLimits.DEFAULTS.withMaxOutputBytes(32));
    limited.start("m1", "flow").stage("m1", "extract").finished(Map.of("table", "\"" + "x".repeat(40) + "\""));

    assertThat(limited.lastEvents()).containsExactly("StageFailed", "MissionFailed");
    StageFailed failed = (StageFailed) limited.lastEventRecords().get(0).getEvent();
    assertThat(failed.getWorker()).as("the worker whose outputs were too large").isEqualTo("w-1");
    StageError error = failed.getError();
    assertThat(error.getRetryable()).isFalse();
    assertThat(error.getMessage()).isEqualTo("Expected outputs of at most 32 bytes, but the attempt reported 47 bytes"
        + " in 1 outputs; pass large results as URIs (a table name, s3://..., gs://...)");
  }

  @Test
  void theLimitCountsUtf8Bytes() {
    assertThat(StageReportProcessors.sizeOf(Map.of("é", "\"€😀\""))).isEqualTo(2 + 1 + 3 + 4 + 1);
  }

  @Test
  void numbersReachTheWorkerExactlyAsTheUpstreamOrTheMissionGaveThem() {
    MissionHarness exact = new MissionHarness(new InMemoryPlans().apply(TestPlan.named("exact")
        .param("rate", null)
        .stage("extract", "warehouse")
        .stage("load", "warehouse", Map.of(
            "ts", "\"${stages.extract.outputs.ts}\"",
            "rate", "\"${params.rate}\"",
            "nested", "{\"v\": [\"${stages.extract.outputs.ts}\", \"${stages.extract.outputs.one}\"]}",
            "label", "\"at ${stages.extract.outputs.ts}\"",
            "one", "\"${stages.extract.outputs.one}\"",
            "huge", "\"${stages.extract.outputs.huge}\"",
            "big", "\"${stages.extract.outputs.big}\""),
            "extract")));
    exact.start("m1", "exact", Map.of("rate", "0.12345678901234567890"), List.of())
        .stage("m1", "extract").finished(Map.of("ts", "1732000000.123456789", "one", "1.0", "huge", "1e400",
            "big", "123456789012345678901234567890"));

    StageInstruction load = exact.lastInstructions().stream().filter(i -> i.getStage().equals("load"))
        .findFirst().orElseThrow();
    assertThat(load.getParams()).containsExactlyInAnyOrderEntriesOf(Map.of(
        "ts", "1732000000.123456789",
        "rate", "0.12345678901234567890",
        "nested", "{\"v\":[1732000000.123456789,1.0]}",
        "label", "\"at 1732000000.123456789\"",
        "one", "1.0",
        "huge", "1E+400",
        "big", "123456789012345678901234567890"));
  }
}
