package io.groundcontrol.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.groundcontrol.mission.InMemoryPlans;
import io.groundcontrol.mission.MissionHarness;
import io.groundcontrol.mission.TestPlan;
import io.groundcontrol.schema.MissionEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExportFilterTest {
  private final MissionHarness harness = new MissionHarness(
      new InMemoryPlans().apply(TestPlan.diamond()).apply(TestPlan.named("load").stage("copy", "warehouse")));

  /** m-1 on diamond, then m-2 on load, one input a second from 10:00:01; then a report naming no mission. */
  private List<MissionEvent> log() {
    harness.start("m-1", "diamond").stage("m-1", "extract").runs();
    harness.start("m-2", "load").stage("m-2", "copy").runs();
    harness.stage("m-0", "copy").started();
    List<MissionEvent> all = new ArrayList<>(harness.log("m-1"));
    all.addAll(harness.log("m-2"));
    all.addAll(harness.log("m-0"));
    return all;
  }

  private static List<String> kept(ExportFilter filter, List<MissionEvent> events) {
    return events.stream().filter(filter::test).map(e -> e.getMissionId() + "#" + e.getSequence()).toList();
  }

  @Test
  void theRangeIncludesItsStartAndExcludesItsEnd() {
    List<MissionEvent> events = log();
    Instant start = events.get(0).getTimestamp();

    assertThat(kept(new ExportFilter(start.plusSeconds(1), start.plusSeconds(3), null), events))
        .allMatch(k -> k.startsWith("m-1#"))
        .isNotEmpty()
        .doesNotContain("m-1#1");
    assertThat(kept(new ExportFilter(null, null, null), events)).hasSize(events.size());
  }

  @Test
  void aPlanFilterKnowsMissionsStartedBeforeTheRange() {
    List<MissionEvent> events = log();
    Instant secondStart = harness.log("m-2").get(0).getTimestamp();
    ExportFilter filter = new ExportFilter(secondStart.plusSeconds(1), null, "load");

    assertThat(kept(filter, events)).isNotEmpty().allMatch(k -> k.startsWith("m-2#")).doesNotContain("m-2#1");
    assertThat(filter.unknownPlan()).as("the report naming no mission").isEqualTo(1);
  }

  @Test
  void anEmptyRangeIsRefused() {
    Instant t = Instant.parse("2026-11-22T10:00:00Z");

    assertThatThrownBy(() -> new ExportFilter(t, t, null)).hasMessageContaining("Expected --from before --to");
  }
}
