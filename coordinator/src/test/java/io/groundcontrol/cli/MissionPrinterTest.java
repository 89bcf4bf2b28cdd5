package io.groundcontrol.cli;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** `mission show` tables: the one read through the API and the one read from the log say the same. */
class MissionPrinterTest {
  private static final String REUSED =
      "reused from mission m-0, stage extract, 12 min old; {table=\"staging.events\"}";
  private static final String TABLE = """
      Mission m1  plan daily@v1  RUNNING
      Started 2026-11-22T10:00:01Z, last change 2026-11-22T10:00:02Z, params {}
      STAGE    STATUS      ATTEMPT  WORKER  UPDATED               DETAIL
      extract  REUSED      0        -       2026-11-22T10:00:02Z  reused from mission m-0, stage extract, 12 min old; {table="staging.events"}
      train    DISPATCHED  1        -       2026-11-22T10:00:02Z
      """;

  private final MissionView mission = reusedMission();

  private static MissionView reusedMission() {
    MissionHarness harness = new MissionHarness(new InMemoryPlans().apply(TestPlan.named("daily")
        .stage("extract", "warehouse").reuse(3_600_000)
        .stage("train", "ml", "extract")));
    harness.start("m1", "daily").resultAnswer("m1", "extract", new ReuseResult("m-0", "extract",
        harness.now().minusSeconds(12 * 60), Map.of("table", "\"staging.events\"")));
    return harness.mission("m1");
  }

  private static String printed(Consumer<PrintStream> print) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    print.accept(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void aReusedStageSaysWhereFromInTheTableOfTheApiAsInTheTableOfTheLog() {
    String fromApi = printed(out -> MissionPrinter.table(MissionDocument.of(mission, mission.stages()), out, false));
    String fromLog = printed(out -> MissionPrinter.table(mission, out));

    assertThat(fromApi.lines().filter(line -> line.startsWith("extract")))
        .singleElement().satisfies(line -> assertThat(line).contains("REUSED").endsWith(REUSED));
    assertThat(fromApi).isEqualToNormalizingNewlines(TABLE);
    assertThat(fromLog).isEqualToNormalizingNewlines(TABLE);
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
