package io.groundcontrol.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.groundcontrol.mission.InMemoryPlans;
import io.groundcontrol.mission.MissionHarness;
import io.groundcontrol.mission.MissionView;
import io.groundcontrol.mission.TestPlan;
import io.groundcontrol.query.MissionDocument;
import io.groundcontrol.schema.ReuseResult;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * `mission show`: the table read through the API and the one read from the log say the same, and
 * the JSON read from the log keeps its shape.
 */
class MissionPrinterTest {
  private static final String REUSED =
      "reused from mission m-0, stage extract, 12 min old; {table=\"staging.events\"}";
  private static final String TABLE = """
      Mission m1  plan daily@v1  RUNNING
      Started 2026-11-22T10:00:01Z, last change 2026-11-22T10:00:02Z, params {}
      STAGE    STATUS      ATTEMPT  WORKER  UPDATED               DETAIL
      extract  REUSED      0        -       2026-11-22T10:00:02Z  reused from mission m-0, stage extract, 12 min old; {table="staging.events"}
      train    DISPATCHED  1        -       2026-11-22T10:00:02Z  waiting 40 s; no live worker of 'ml'
      """;
  private static final Map<String, String> TRAIN_WAITS = Map.of("train", "waiting 40 s; no live worker of 'ml'");
  private static final Map<String, String> MIXED_NOTES =
      Map.of("load", "waiting for a slot of 'bq': 15 of 15 running", "check", "see log");
  private static final String REUSED_JSON = """
      {
        "missionId" : "m1",
        "plan" : "daily",
        "planVersion" : "v1",
        "status" : "RUNNING",
        "reason" : null,
        "params" : { },
        "sequence" : 4,
        "startedAt" : "2026-11-22T10:00:01Z",
        "updatedAt" : "2026-11-22T10:00:02Z",
        "stages" : [ {
          "name" : "extract",
          "status" : "REUSED",
          "attempt" : 0,
          "worker" : null,
          "outputs" : {
            "table" : "\\"staging.events\\""
          },
          "error" : null,
          "errorDetail" : null,
          "retryable" : null,
          "reusedFrom" : {
            "missionId" : "m-0",
            "stage" : "extract",
            "finishedAt" : "2026-11-22T09:48:01Z",
            "description" : "reused from mission m-0, stage extract, 12 min old"
          },
          "updatedAt" : "2026-11-22T10:00:02Z",
          "chunks" : null,
          "note" : null
        }, {
          "name" : "train",
          "status" : "DISPATCHED",
          "attempt" : 1,
          "worker" : null,
          "outputs" : { },
          "error" : null,
          "errorDetail" : null,
          "retryable" : null,
          "reusedFrom" : null,
          "updatedAt" : "2026-11-22T10:00:02Z",
          "chunks" : null,
          "note" : "waiting 40 s; no live worker of 'ml'"
        } ],
        "stale" : false
      }""";
  private static final String MIXED_JSON = """
      {
        "missionId" : "m2",
        "plan" : "mixed",
        "planVersion" : "v1",
        "status" : "RUNNING",
        "reason" : null,
        "params" : {
          "ids" : "[1,2,3]"
        },
        "sequence" : 9,
        "startedAt" : "2026-11-22T10:00:01Z",
        "updatedAt" : "2026-11-22T10:00:03Z",
        "stages" : [ {
          "name" : "check",
          "status" : "FAILED",
          "attempt" : 1,
          "worker" : "w-1",
          "outputs" : { },
          "error" : "bad rows",
          "errorDetail" : "stack",
          "retryable" : false,
          "reusedFrom" : null,
          "updatedAt" : "2026-11-22T10:00:03Z",
          "chunks" : null,
          "note" : "see log"
        }, {
          "name" : "load",
          "status" : "QUEUED",
          "attempt" : 1,
          "worker" : null,
          "outputs" : { },
          "error" : null,
          "errorDetail" : null,
          "retryable" : null,
          "reusedFrom" : null,
          "updatedAt" : "2026-11-22T10:00:01Z",
          "chunks" : null,
          "note" : "waiting for a slot of 'bq': 15 of 15 running"
        }, {
          "name" : "score",
          "status" : "RUNNING",
          "attempt" : 1,
          "worker" : null,
          "outputs" : { },
          "error" : null,
          "errorDetail" : null,
          "retryable" : null,
          "reusedFrom" : null,
          "updatedAt" : "2026-11-22T10:00:01Z",
          "chunks" : {
            "total" : 3,
            "done" : 1,
            "running" : 2,
            "waitingForSlot" : 0,
            "failed" : 0,
            "queued" : 0,
            "cancelled" : 0
          },
          "note" : null
        } ],
        "stale" : false
      }""";

  private final MissionView mission = reusedMission();

  private static MissionView reusedMission() {
    MissionHarness harness = new MissionHarness(new InMemoryPlans().apply(TestPlan.named("daily")
        .stage("extract", "warehouse").reuse(3_600_000)
        .stage("train", "ml", "extract")));
    harness.start("m1", "daily").resultAnswer("m1", "extract", new ReuseResult("m-0", "extract",
        harness.now().minusSeconds(12 * 60), Map.of("table", "\"staging.events\"")));
    return harness.mission("m1");
  }

  /** A failed stage, a queued one (of a capped component) and one fanned out in chunks. */
  private static MissionView mixedMission() {
    MissionHarness harness = new MissionHarness(new InMemoryPlans().apply(TestPlan.named("mixed")
        .param("ids", "[1,2,3]")
        .stage("score", "scorer", Map.of("ids", "\"${chunk.items}\"")).foreach("${params.ids}", 1, 2)
        .stage("load", "bq")
        .stage("check", "qa")), Set.of("bq")::contains);
    harness.start("m2", "mixed")
        .stage("m2", "score[0]").finished(Map.of("n", "1"))
        .stage("m2", "check").failedForGood("bad rows");
    return harness.mission("m2");
  }

  private static String printed(Consumer<PrintStream> print) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    print.accept(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    return bytes.toString(StandardCharsets.UTF_8);
  }

  /** A wait note and where a reused result came from: the same DETAIL whichever path `mission show` took. */
  @Test
  void theTableOfTheApiSaysWhatTheTableOfTheLogSays() {
    String fromApi = printed(out ->
        MissionPrinter.table(MissionDocument.of(mission, mission.stages()).withNotes(TRAIN_WAITS), out, false));
    String fromLog = printed(out -> MissionPrinter.table(mission, TRAIN_WAITS, out, false));

    assertThat(fromApi.lines().filter(line -> line.startsWith("extract")))
        .singleElement().satisfies(line -> assertThat(line).contains("REUSED").endsWith(REUSED));
    assertThat(fromApi).isEqualToNormalizingNewlines(TABLE);
    assertThat(fromLog).isEqualToNormalizingNewlines(TABLE);
  }

  /**
   * A walkthrough saw only the note of a fanned-out stage of a capped component, and not where its
   * chunks stood: DETAIL has both, chunks first.
   */
  @Test
  void aFannedOutStageWithANoteShowsItsChunksAndTheNote() {
    MissionHarness harness = new MissionHarness(new InMemoryPlans().apply(TestPlan.named("fan")
        .param("ids", "[1,2,3,4,5,6,7,8,9,10,11,12]")
        .stage("score", "gpu", Map.of("ids", "\"${chunk.items}\"")).foreach("${params.ids}", 1, 8)),
        Set.of("gpu")::contains);
    harness.start("m3", "fan").grant("m3", "score[0]").grant("m3", "score[1]");
    Map<String, String> notes = Map.of("score", "6 chunks waiting for a slot of 'gpu': 2 of 2 running");

    String fromLog = printed(out -> MissionPrinter.table(harness.mission("m3"), notes, out, false));

    assertThat(fromLog.lines().filter(line -> line.startsWith("score"))).singleElement().satisfies(line -> assertThat(line)
        .endsWith("  chunks: 0/12 done, 2 running, 6 waiting for a slot, 0 failed, 4 queued; "
            + "6 chunks waiting for a slot of 'gpu': 2 of 2 running"));
  }

  /** An ML team's evaluation returned 63 KiB of ids: DETAIL held them whole, one terminal screen after another. */
  @Test
  void aLongOutputShowsItsStartAndItsLengthInDetail() {
    MissionHarness harness = new MissionHarness(new InMemoryPlans().apply(TestPlan.named("one").stage("eval", "ml")));
    harness.start("m4", "one").stage("m4", "eval").finished(Map.of("ids", "\"" + "x".repeat(64_000) + "\""));

    String fromLog = printed(out -> MissionPrinter.table(harness.mission("m4"), Map.of(), out, false));

    assertThat(fromLog.lines().filter(line -> line.startsWith("eval"))).singleElement().satisfies(line -> assertThat(line)
        .endsWith("{ids=\"" + "x".repeat(199) + "... (64002 characters in all)}"));
  }

  /** The JSON of a mission: one shape, each stage's note included, whether read from the log or through the API. */
  @Test
  void theJsonOfTheLogAndOfTheApiAreTheSameDocument() throws Exception {
    MissionView mixed = mixedMission();
    String fromApiServer = new ObjectMapper().writeValueAsString(MissionDocument.of(mixed, mixed.stages())
        .withNotes(MIXED_NOTES));
    MissionDocument received = new ObjectMapper().readValue(fromApiServer, MissionDocument.class);

    assertThat(MissionPrinter.json(mission, TRAIN_WAITS)).isEqualToNormalizingNewlines(REUSED_JSON);
    assertThat(MissionPrinter.json(mixed, MIXED_NOTES)).isEqualToNormalizingNewlines(MIXED_JSON);
    assertThat(MissionPrinter.json(received)).isEqualToNormalizingNewlines(MIXED_JSON);
  }

  @Test
  void theApiDocumentOfAReusedStageNamesItsOrigin() {
    MissionDocument document = MissionDocument.of(mission, mission.stages());

    assertThat(document.stages().get(0).reusedFrom()).satisfies(from -> {
      assertThat(from.missionId()).isEqualTo("m-0");
      assertThat(from.stage()).isEqualTo("extract");
      assertThat(Instant.parse(from.finishedAt())).isBefore(Instant.parse(document.stages().get(0).updatedAt()));
      assertThat(from.description()).isEqualTo("reused from mission m-0, stage extract, 12 min old");
    });
    assertThat(document.stages().get(1).reusedFrom()).isNull();
  }
}
