package io.groundcontrol.trigger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.groundcontrol.mission.MissionIds;
import io.groundcontrol.schedule.ScheduleFile;
import io.groundcontrol.trigger.TriggerRule.TriggeredStart;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Dedup keys from event numbers: the missions events named before numbers were exact, they name still. */
class TriggerRuleTest {
  private static final TriggerRule RULE = TriggerRule.of(ScheduleFile.parse("""
      triggers:
        - name: t
          topic: exports
          plan: score
          when:
            v: { gt: 0 }
          params:
            v: "${event.v}"
          key: ${event.v}
      """, "test.yaml").triggers().get(0));

  private static TriggeredStart start(String event) {
    return RULE.evaluate(TriggerRule.parseEvent(event.getBytes(StandardCharsets.UTF_8)), "origin").orElseThrow();
  }

  @Test
  void aKeyFromADecimalADoubleHoldsIsTheOneItGotAsADouble() throws Exception {
    TriggeredStart start = start("{\"v\":1.50}");

    String asDouble = Templates.render("${event.v}", new ObjectMapper().readTree("{\"v\":1.50}"));
    assertThat(start.key()).isEqualTo(asDouble).isEqualTo("1.5");
    assertThat(start.missionId()).isEqualTo(MissionIds.forTrigger("t", asDouble)).startsWith("t.t.~9f29a130");
    assertThat(start.params()).as("the worker still gets the number as sent").containsEntry("v", "1.50");
  }

  @Test
  void decimalsAConditionHoldsEqualNameOneMission() {
    assertThat(start("{\"v\":1.50}").missionId()).isEqualTo(start("{\"v\":1.5}").missionId());
    assertThat(start("{\"v\":1e-05}").missionId()).isEqualTo(start("{\"v\":0.00001}").missionId());
  }

  @Test
  void decimalsADoubleRoundsAlikeNameTwoMissions() {
    assertThat(start("{\"v\":1732000000.123456789}").missionId())
        .isNotEqualTo(start("{\"v\":1732000000.1234567}").missionId());
  }

  @Test
  void aBatchedTriggersKeyLongerThanABatchTakesIsRefusedAndAnUnbatchedOneIsHashed() {
    String yaml = """
        triggers:
          - name: t
            topic: exports
            plan: score
            key: ${event.id}
            %s
        """;
    TriggerRule batched = TriggerRule.of(ScheduleFile.parse(yaml.formatted("batch: {window: 1h}"), "t.yaml").triggers().get(0));
    TriggerRule unbatched = TriggerRule.of(ScheduleFile.parse(yaml.formatted(""), "t.yaml").triggers().get(0));
    String longest = "{\"id\":\"" + "é".repeat(2048) + "\"}";
    String tooLong = "{\"id\":\"" + "é".repeat(2048) + "x\"}";

    assertThat(batched.evaluate(TriggerRule.parseEvent(longest.getBytes(StandardCharsets.UTF_8)), "o")).isPresent();
    assertThatThrownBy(() -> batched.evaluate(TriggerRule.parseEvent(tooLong.getBytes(StandardCharsets.UTF_8)), "o"))
        .isInstanceOf(MalformedEventException.class)
        .hasMessage("Expected a batch key of at most 4096 bytes, but it takes 4097");
    assertThat(unbatched.evaluate(TriggerRule.parseEvent(tooLong.getBytes(StandardCharsets.UTF_8)), "o"))
        .hasValueSatisfying(start -> assertThat(start.missionId()).matches("t\\.t\\.~[0-9a-f]{20}"));
  }
}
