package io.groundcontrol.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.mission.InMemoryPlans;
import io.groundcontrol.mission.MissionHarness;
import io.groundcontrol.mission.MissionLimits;
import io.groundcontrol.mission.TestPlan;
import io.groundcontrol.schema.MissionEvent;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventLinesTest {
  @Test
  void aForgottenMissionSaysHowItEndedAndHowLongItWasKept() {
    MissionHarness harness = new MissionHarness(new InMemoryPlans().apply(TestPlan.named("one").stage("only", "sql")),
        MissionLimits.DEFAULTS.withRetention(Duration.ofDays(30)));
    harness.start("m-1", "one").stage("m-1", "only").runs();
    harness.sweep("m-1", Duration.ofDays(30));

    List<MissionEvent> log = harness.log("m-1");

    assertThat(EventLines.isEnd(log.get(log.size() - 2))).isTrue();
    assertThat(EventLines.isEnd(log.get(log.size() - 1))).isFalse();
    assertThat(EventLines.describe(log.get(log.size() - 1))).endsWith("  #6  mission forgotten: FINISHED and unchanged "
        + "for 30d, removed from the coordinator's stores (these events stay)");
  }

  @Test
  void anOutcomeSaysItsWorkerWhenNoStartNamedIt() {
    MissionHarness harness = new MissionHarness(new InMemoryPlans().apply(TestPlan.named("two")
        .stage("quick", "sql").stage("slow", "sql", "quick").retry(2, 1000)));
    harness.start("m-1", "two").stage("m-1", "quick").finished(Map.of("rows", "3"));
    harness.stage("m-1", "slow").started().stage("m-1", "slow").failed("disk full");

    List<String> lines = harness.log("m-1").stream().map(EventLines::describe).toList();

    assertThat(lines.get(2)).endsWith("  #3  stage 'quick' finished by w-1 outputs {rows=3}");
    assertThat(lines.get(5)).endsWith("  #6  stage 'slow' FAILED on attempt 1: disk full");
  }

  @Test
  void aLongOutputShowsItsStartAndItsLength() {
    // An ML team's evaluation returned 63 KiB of ids: mission start --wait printed them on one line.
    MissionHarness harness = new MissionHarness(new InMemoryPlans().apply(TestPlan.named("one").stage("eval", "ml")));
    String ids = "\"" + "x".repeat(64_000) + "\"";
    harness.start("m-1", "one").stage("m-1", "eval").finished(Map.of("ids", ids));

    String line = EventLines.describe(harness.log("m-1").get(2));

    assertThat(line).endsWith("  #3  stage 'eval' finished by w-1 outputs {ids=\"" + "x".repeat(199)
        + "... (64002 characters in all)}");
  }
}
