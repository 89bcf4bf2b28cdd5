package io.groundcontrol.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.groundcontrol.schema.Trigger;
import org.junit.jupiter.api.Test;

/** {@code dedup_window} and {@code batch} of event triggers in a schedules file. */
class TriggerFileTest {
  private static final String HEAD = """
      triggers:
        - name: exports
          topic: warehouse.exports
          plan: score
          key: ${event.export_id}
      """;

  @Test
  void aWindowAndABatchAreRead() {
    Trigger trigger = ScheduleFile.parse(HEAD
        + "    dedup_window: 1h\n"
        + "    batch: { max_events: 100, window: 5m, keys_param: export_ids }\n", "f.yaml").triggers().get(0);

    assertThat(trigger.getDedupWindowMs()).isEqualTo(3_600_000L);
    assertThat(trigger.getBatch().getMaxEvents()).isEqualTo(100);
    assertThat(trigger.getBatch().getWindowMs()).isEqualTo(300_000L);
    assertThat(trigger.getBatch().getKeysParam()).isEqualTo("export_ids");
    Trigger plain = ScheduleFile.parse(HEAD, "f.yaml").triggers().get(0);
    assertThat(plain.getDedupWindowMs()).as("for ever").isNull();
    assertThat(plain.getBatch()).isNull();
    assertThat(ScheduleFile.parse(HEAD + "    batch: { window: 30s }\n", "f.yaml").triggers().get(0).getBatch()
        .getKeysParam()).isEqualTo("keys");
  }

  @Test
  void everyProblemIsReportedWithItsField() {
    assertThatThrownBy(() -> ScheduleFile.parse(HEAD
        + "    dedup_window: 0s\n"
        + "    batch: { max_events: 0, window: soon, keys_param: 1x, size: 3 }\n", "f.yaml"))
        .isInstanceOfSatisfying(ScheduleFileException.class, e -> assertThat(e.problems()).containsExactlyInAnyOrder(
            "f.yaml: triggers[exports].dedup_window: expected a duration longer than zero, but got '0s'",
            "f.yaml: triggers[exports].batch.size: unknown field; expected one of max_events, window, keys_param",
            "f.yaml: triggers[exports].batch.max_events: expected a whole number of at least 1, but got 0",
            "f.yaml: triggers[exports].batch.window: expected a duration such as 30s, 5m, 2h or 1d, but got 'soon'",
            "f.yaml: triggers[exports].batch.keys_param: invalid param name '1x': use letters, digits and '_', "
                + "starting with a letter or '_'"));
    assertThatThrownBy(() -> ScheduleFile.parse(HEAD + "    batch: {}\n", "f.yaml"))
        .isInstanceOfSatisfying(ScheduleFileException.class, e -> assertThat(e.problems()).containsExactly(
            "f.yaml: triggers[exports].batch: expected max_events, window or both: a batch must close some time"));
  }

  @Test
  void referencesInsideObjectsAndListsOfParamsAreChecked() {
    assertThatThrownBy(() -> ScheduleFile.parse(HEAD
        + "    params: { cfg: { day: \"${params.day}\", ok: \"${event.day}\" }, days: [ \"on ${day}\" ] }\n", "f.yaml"))
        .isInstanceOfSatisfying(ScheduleFileException.class, e -> assertThat(e.problems()).containsExactly(
            "f.yaml: triggers[exports].params.cfg.day: unknown reference '${params.day}'; expected ${event.FIELD} or"
                + " ${event.FIELD.SUBFIELD}",
            "f.yaml: triggers[exports].params.days[0]: unknown reference '${day}'; expected ${event.FIELD} or"
                + " ${event.FIELD.SUBFIELD}"));
  }
}
