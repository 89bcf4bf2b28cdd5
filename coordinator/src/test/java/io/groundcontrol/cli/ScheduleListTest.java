package io.groundcontrol.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.schema.ScheduleResumed;
import io.groundcontrol.schema.Trigger;
import io.groundcontrol.trigger.TriggerStatus;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ScheduleListTest {
  @Test
  void aFireTimeSaysItsOffset() {
    Instant at = Instant.parse("2026-12-07T01:31:21Z");
    String offset = ZoneId.systemDefault().getRules().getOffset(at).getId().replace("Z", "+00:00");

    assertThat(ScheduleList.fireTime(at)).endsWith(" " + offset).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d .*");
  }

  @Test
  void aResumeCountsTheFiresThatPassedInWords() {
    assertThat(ScheduleList.describe(new ScheduleResumed("ann", 1L))).isEqualTo("resumed by ann; 1 fire passed while paused");
    assertThat(ScheduleList.describe(new ScheduleResumed("ann", 3L))).isEqualTo("resumed by ann; 3 fires passed while paused");
  }

  @Test
  void anInertTriggerSaysSoAndWhyAsTheCoordinatorLogsIt() {
    TriggerStatus inert = new TriggerStatus("rescore", "exports", "score", 0, TriggerStatus.State.INERT,
        "the cluster refuses the coordinator (User:gc) its topic 'exports'; grant READ");
    TriggerStatus active = new TriggerStatus("audit", "orders", "score", 0, TriggerStatus.State.ACTIVE, null);

    TriggerTable table = new TriggerTable(List.of(trigger("rescore", "exports"), trigger("audit", "orders")),
        Optional.of(List.of(inert, active)));

    assertThat(table.rows()).extracting(row -> row.get(0) + " " + row.get(row.size() - 1))
        .containsExactly("TRIGGER STATE", "audit ACTIVE", "rescore INERT");
    assertThat(new TriggerTable(List.of(Trigger.newBuilder(trigger("urgent", "exports")).setPriority(7).build()),
        Optional.empty()).rows()).extracting(row -> row.get(3)).containsExactly("PRIORITY", "7");
    assertThat(table.notes()).containsExactly(
        "Trigger 'rescore' stays inert: the cluster refuses the coordinator (User:gc) its topic 'exports'; grant READ");
  }

  @Test
  void withoutTheCoordinatorsAnswerOrForAnotherTopicTheStateIsUnknown() {
    TriggerStatus before = new TriggerStatus("rescore", "old-exports", "score", 0, TriggerStatus.State.INERT, "refused");

    assertThat(new TriggerTable(List.of(trigger("rescore", "exports")), Optional.of(List.of(before))).rows().get(1))
        .last().isEqualTo("?");
    TriggerTable unknown = new TriggerTable(List.of(trigger("rescore", "exports")), Optional.empty());
    assertThat(unknown.rows().get(1)).last().isEqualTo("?");
    assertThat(unknown.notes()).isEmpty();
  }

  private static Trigger trigger(String name, String topic) {
    return Trigger.newBuilder().setName(name).setTopic(topic).setPlan("score").setWhen(List.of()).setKey("${event.id}")
        .build();
  }
}
