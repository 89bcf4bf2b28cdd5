package io.groundcontrol.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.mission.InMemoryPlans;
import io.groundcontrol.mission.MissionHarness;
import io.groundcontrol.mission.TestPlan;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class TimelineTest {
  private final MissionHarness harness = new MissionHarness(new InMemoryPlans().apply(TestPlan.diamond()));

  @Test
  void eachEventIsARowWithItsCauseAndDetails() {
    harness.start("m-1", "diamond").stage("m-1", "extract").started();
    harness.stage("m-1", "extract").failed("disk full");

    List<List<String>> rows = Timeline.rows(harness.log("m-1"));

    assertThat(rows.get(0)).containsExactly("SEQ", "TIME", "EVENT", "STAGE", "ATTEMPT", "CAUSE", "DETAIL");
    assertThat(rows.get(1)).containsExactly("1", "2026-11-22T10:00:01Z", "MissionStarted", "-", "-",
        "COMMAND from USER ann on laptop",
        "planName=diamond, planVersion=v1, params={}, stages=[extract, clean, features, train, publish], noReuse=false, priority=0");
    assertThat(rows.get(2).subList(2, 6)).containsExactly("StageDispatched", "extract", "1", "COMMAND from USER ann on laptop");
    assertThat(rows.get(4)).contains("StageFailed", "extract", "1", "REPORT from WORKER w-1 on h1 (attempt 1)",
        "error.message=disk full, error.retryable=true");
  }

  @Test
  void theTablePadsEveryColumnButTheLast() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    TextTable.print(List.of(List.of("A", "B", "C"), List.of("long cell", "x", "last")), new PrintStream(bytes, true,
        StandardCharsets.UTF_8));

    assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo(
        "A          B  C" + System.lineSeparator() + "long cell  x  last" + System.lineSeparator());
  }
}
