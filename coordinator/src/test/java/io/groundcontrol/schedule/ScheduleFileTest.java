package io.groundcontrol.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.groundcontrol.schema.ConditionOp;
import io.groundcontrol.schema.OverlapPolicy;
import io.groundcontrol.schema.Schedule;
import io.groundcontrol.schema.Trigger;
import io.groundcontrol.schema.TriggerCondition;
import io.groundcontrol.schema.wire.AvroSerde;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ScheduleFileTest {
  @Test
  void theExampleFileReadsAsWritten() throws Exception {
    ScheduleFile file = ScheduleFile.load(Path.of("..", "examples", "schedules.yaml"));

    assertThat(file.schedules()).extracting(Schedule::getName)
        .containsExactly("nightly-scoring", "feature-refresh", "quarterly-backfill");
    Schedule nightly = file.schedules().get(0);
    assertThat(nightly.getCron()).isEqualTo("30 2 * * *");
    assertThat(nightly.getTimeZone()).isEqualTo("Europe/Copenhagen");
    assertThat(nightly.getCatchUpWindowMs()).isEqualTo(Duration.ofHours(6).toMillis());
    assertThat(nightly.getCatchUpMax()).isEqualTo(1);
    assertThat(nightly.getJitterMs()).isEqualTo(Duration.ofMinutes(2).toMillis());
    assertThat(nightly.getParams()).containsEntry("sample_rate", "0.1");
    assertThat(nightly.getPriority()).isEqualTo(10);
    Schedule refresh = file.schedules().get(1);
    assertThat(refresh.getEveryMs()).isEqualTo(Duration.ofMinutes(15).toMillis());
    assertThat(refresh.getOverlap()).isEqualTo(OverlapPolicy.BUFFER_ONE);
    assertThat(refresh.getStartAt()).isEqualTo(Instant.parse("2026-12-01T00:00:00Z"));
    assertThat(file.schedules().get(2).getPaused()).isTrue();
    Trigger trigger = file.triggers().get(0);
    assertThat(trigger.getTopic()).isEqualTo("warehouse.exports");
    assertThat(trigger.getKey()).isEqualTo("${event.export_id}");
    assertThat(trigger.getWhen()).containsExactly(
        new TriggerCondition("status", ConditionOp.EQ, "\"done\""), new TriggerCondition("rows", ConditionOp.GT, "0"));
  }

  @Test
  void aBadZoneDoesNotHideABadCron() {
    String text = """
        schedules:
          - name: mars
            plan: p
            cron: "61 * * * *"
            time_zone: Mars/Base
        """;

    assertThatThrownBy(() -> ScheduleFile.parse(text, "s.yaml"))
        .isInstanceOfSatisfying(ScheduleFileException.class, e -> assertThat(e.problems()).containsExactly(
            "s.yaml: schedules[mars].time_zone: unknown time zone 'Mars/Base'; expected an IANA name such as "
                + "Europe/Copenhagen",
            "s.yaml: schedules[mars].cron: invalid cron '61 * * * *': Failed to parse cron expression. "
                + "Value 61 not in range [0, 59] (5 fields: minute hour day-of-month month day-of-week)"));
  }

  @Test
  void aCronThatMatchesNoDateIsRefusedAndOneOnLeapDaysIsNot() {
    String never = """
        schedules:
          - name: feb30
            plan: p
            cron: "0 0 30 2 *"
        """;
    String leap = never.replace("feb30", "feb29").replace("30 2", "29 2");

    assertThatThrownBy(() -> ScheduleFile.parse(never, "s.yaml"))
        .isInstanceOfSatisfying(ScheduleFileException.class, e -> assertThat(e.problems()).containsExactly(
            "s.yaml: schedules[feb30].cron: cron '0 0 30 2 *' never fires: no date matches its day-of-month and month"));
    assertThat(ScheduleFile.parse(leap, "s.yaml")).isNotNull();
  }

  @Test
  void everyProblemIsReportedWithItsFileEntryAndField() {
    String text = """
        schedules:
          - name: Bad.Name
            plan: p
            cron: "61 * * * *"
          - name: both
            plan: p
            cron: "0 * * * *"
            every: 1m
          - name: zone
            plan: p
            cron: "0 * * * *"
            time_zone: Mars/Olympus
          - name: fast
            every: 1500ms
            overlap: sometimes
            jitter: 2s
            catch_up: { window: soon, max: 0 }
            colour: red
        triggers:
          - name: t
            topic: exports
            plan: p
            key: ${params.id}
            when: { rows: { above: 1 } }
        """;

    assertThatThrownBy(() -> ScheduleFile.parse(text, "s.yaml"))
        .isInstanceOfSatisfying(ScheduleFileException.class, e -> assertThat(e.problems()).containsExactly(
            "s.yaml: schedules[Bad.Name].name: invalid name 'Bad.Name': use lower-case letters, digits, '_' and '-', "
                + "starting with a letter or digit, at most 100 characters",
            "s.yaml: schedules[Bad.Name].cron: invalid cron '61 * * * *': Failed to parse cron expression. "
                + "Value 61 not in range [0, 59] (5 fields: minute hour day-of-month month day-of-week)",
            "s.yaml: schedules[both]: expected exactly one of 'cron' and 'every'",
            "s.yaml: schedules[zone].time_zone: unknown time zone 'Mars/Olympus'; expected an IANA name such as "
                + "Europe/Copenhagen",
            "s.yaml: schedules[fast].colour: unknown field; expected one of name, plan, params, cron, time_zone, every, "
                + "overlap, catch_up, jitter, start_at, end_at, paused, priority, description",
            "s.yaml: schedules[fast]: missing required field 'plan'",
            "s.yaml: schedules[fast].every: expected whole seconds, at least 1s, but got '1500ms'",
            "s.yaml: schedules[fast].overlap: expected skip, buffer_one, allow or cancel_running, but got 'sometimes'",
            "s.yaml: schedules[fast].catch_up.window: expected a duration such as 30s, 5m, 2h or 1d, but got 'soon'",
            "s.yaml: schedules[fast].catch_up.max: expected a whole number of at least 1",
            "s.yaml: schedules[fast].jitter: expected less than the interval (1500ms), so fires stay in order",
            "s.yaml: triggers[t].when.rows: unknown operator 'above'; expected eq, ne, gt, gte, lt, lte, in or exists",
            "s.yaml: triggers[t].key: unknown reference '${params.id}'; expected ${event.FIELD} or ${event.FIELD.SUBFIELD}"));
  }

  @Test
  void aRepeatedKeyIsRefusedNotReadAsItsLastValue() {
    String cron = """
        schedules:
          - name: nightly
            plan: p
            cron: "0 1 * * *"
            cron: "0 2 * * *"
        """;
    String list = """
        schedules:
          - { name: a, plan: p, every: 1h }
        triggers: []
        schedules:
          - { name: b, plan: p, every: 1h }
        """;

    assertThatThrownBy(() -> ScheduleFile.parse(cron, "s.yaml"))
        .isInstanceOfSatisfying(ScheduleFileException.class, e -> assertThat(e.problems()).singleElement().asString()
            .startsWith("s.yaml: unreadable YAML at line 5").endsWith(": Duplicate field 'cron'"));
    assertThatThrownBy(() -> ScheduleFile.parse(list, "s.yaml"))
        .isInstanceOfSatisfying(ScheduleFileException.class, e -> assertThat(e.problems()).singleElement().asString()
            .startsWith("s.yaml: unreadable YAML at line 4").endsWith(": Duplicate field 'schedules'"));
  }

  @Test
  void aSecondDocumentIsRefusedNotIgnored() {
    String text = """
        schedules:
          - { name: a, plan: p, every: 1h }
        ---
        schedules:
          - { name: b, plan: p, every: 1h }
        """;

    assertThatThrownBy(() -> ScheduleFile.parse(text, "s.yaml"))
        .isInstanceOfSatisfying(ScheduleFileException.class, e -> assertThat(e.problems()).singleElement().asString()
            .startsWith("s.yaml: unreadable YAML").endsWith("more than one document; the file holds exactly one"));
  }

  @Test
  void aTimeTheTopicsCannotHoldIsRefusedAndYear9999IsNot() {
    String text = """
        schedules:
          - name: far
            plan: p
            every: 1h
            start_at: "-000001-01-01T00:00:00Z"
            end_at: "+999999999-12-31T00:00:00Z"
        """;
    String last = text.replace("-000001-01-01", "0001-01-01").replace("+999999999-12-31T00:00:00Z", "9999-12-31T23:59:59Z");

    assertThatThrownBy(() -> ScheduleFile.parse(text, "s.yaml"))
        .isInstanceOfSatisfying(ScheduleFileException.class, e -> assertThat(e.problems()).containsExactly(
            "s.yaml: schedules[far].start_at: expected a time from 0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z, "
                + "but got '-000001-01-01T00:00:00Z'",
            "s.yaml: schedules[far].end_at: expected a time from 0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z, "
                + "but got '+999999999-12-31T00:00:00Z'"));
    Schedule schedule = ScheduleFile.parse(last, "s.yaml").schedules().get(0);
    byte[] written = AvroSerde.of(Schedule.class).serializer().serialize("s", schedule);
    assertThat(AvroSerde.of(Schedule.class).deserializer().deserialize("s", written)).isEqualTo(schedule);
  }

  @Test
  void aNameWithALineBreakIsEscapedSoEachProblemStaysOneLine() {
    String text = """
        schedules:
          - name: "a\\nb"
            plan: p
            every: 1h
            "c\\u2028d": 1
        """;

    assertThatThrownBy(() -> ScheduleFile.parse(text, "s.yaml"))
        .isInstanceOfSatisfying(ScheduleFileException.class, e -> assertThat(e.problems()).containsExactly(
            "s.yaml: schedules[a\\nb].c\\u2028d: unknown field; expected one of name, plan, params, cron, time_zone, "
                + "every, overlap, catch_up, jitter, start_at, end_at, paused, priority, description",
            "s.yaml: schedules[a\\nb].name: invalid name 'a\\nb': use lower-case letters, digits, '_' and '-', "
                + "starting with a letter or digit, at most 100 characters"));
  }

  @Test
  void aPriorityIsReadForSchedulesAndTriggersAndIsZeroWithoutOne() {
    String text = """
        schedules:
          - { name: nightly, plan: p, every: 1h, priority: 10 }
          - { name: backfill, plan: p, every: 1h }
          - { name: lowest, plan: p, every: 1h, priority: -2147483648 }
        triggers:
          - { name: urgent, topic: t, plan: p, priority: 2147483647 }
          - { name: plain, topic: t, plan: p }
        """;

    ScheduleFile file = ScheduleFile.parse(text, "s.yaml");

    assertThat(file.schedules()).extracting(Schedule::getPriority).containsExactly(10, 0, Integer.MIN_VALUE);
    assertThat(file.triggers()).extracting(Trigger::getPriority).containsExactly(Integer.MAX_VALUE, 0);
  }

  @Test
  void aPriorityOutsideWhatMissionStartTakesIsOneLineNamingTheEntryAndField() {
    String text = """
        schedules:
          - { name: words, plan: p, every: 1h, priority: high }
          - { name: fraction, plan: p, every: 1h, priority: 1.5 }
          - { name: huge, plan: p, every: 1h, priority: 2147483648 }
        triggers:
          - { name: quoted, topic: t, plan: p, priority: "5" }
          - { name: listed, topic: t, plan: p, priority: [1] }
        """;

    String bounds = "expected a whole number from -2147483648 to 2147483647, as mission start --priority takes, but got ";
    assertThatThrownBy(() -> ScheduleFile.parse(text, "s.yaml"))
        .isInstanceOfSatisfying(ScheduleFileException.class, e -> assertThat(e.problems()).containsExactly(
            "s.yaml: schedules[words].priority: " + bounds + "\"high\"",
            "s.yaml: schedules[fraction].priority: " + bounds + "1.5",
            "s.yaml: schedules[huge].priority: " + bounds + "2147483648",
            "s.yaml: triggers[quoted].priority: " + bounds + "\"5\"",
            "s.yaml: triggers[listed].priority: " + bounds + "[1]"));
  }
}
