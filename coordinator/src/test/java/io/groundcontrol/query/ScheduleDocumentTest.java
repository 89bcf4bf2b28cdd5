package io.groundcontrol.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.schedule.ScheduleSpec;
import io.groundcontrol.schema.Schedule;
import io.groundcontrol.schema.ScheduleState;
import io.groundcontrol.schema.ScheduledMissionStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the read side says of a stored schedule: next fires, pause, last mission. */
class ScheduleDocumentTest {
  private static final Instant HANDLED_UNTIL = Instant.parse("2026-12-01T10:00:00Z");
  private final NextFires fires = new NextFires();

  @Test
  void anIntervalScheduleListsItsNextThreeFiresAfterWhatTheSchedulerHandled() {
    ScheduleDocument doc = ScheduleDocument.of(state(hourly()), fires).orElseThrow();

    assertThat(doc.when()).isEqualTo("every 1h");
    assertThat(doc.nextFires()).containsExactly("2026-12-01T11:00:00Z", "2026-12-01T12:00:00Z", "2026-12-01T13:00:00Z");
    assertThat(doc.paused()).isFalse();
    assertThat(doc.pausedBy()).isNull();
    assertThat(doc.priority()).isZero();
    assertThat(ScheduleDocument.of(state(Schedule.newBuilder(hourly()).setPriority(5).build()), fires).orElseThrow()
        .priority()).isEqualTo(5);
  }

  @Test
  void aCronScheduleFiresAtLocalTimesOfItsZone() {
    Schedule nightly = Schedule.newBuilder().setName("nightly").setPlan("p").setCron("30 2 * * *")
        .setTimeZone("Europe/Copenhagen").build();

    ScheduleDocument doc = ScheduleDocument.of(state(nightly), fires).orElseThrow();

    assertThat(doc.when()).isEqualTo("30 2 * * * Europe/Copenhagen");
    assertThat(doc.nextFires()).containsExactly("2026-12-02T01:30:00Z", "2026-12-03T01:30:00Z", "2026-12-04T01:30:00Z");
  }

  @Test
  void theRememberedFiresMoveOnOnceTheSchedulerHandlesTheFirstAndWhenTheDefinitionChanges() {
    assertThat(ScheduleDocument.of(state(hourly()), fires).orElseThrow().nextFires())
        .startsWith("2026-12-01T11:00:00Z");
    ScheduleState handled = state(hourly());
    handled.setHandledUntil(Instant.parse("2026-12-01T11:00:00Z"));
    assertThat(ScheduleDocument.of(handled, fires).orElseThrow().nextFires()).startsWith("2026-12-01T12:00:00Z");
    Schedule every15 = Schedule.newBuilder(hourly()).setEveryMs(Duration.ofMinutes(15).toMillis()).build();
    assertThat(ScheduleDocument.of(state(every15), fires).orElseThrow().nextFires())
        .containsExactly("2026-12-01T10:15:00Z", "2026-12-01T10:30:00Z", "2026-12-01T10:45:00Z");
  }

  @Test
  void aFireStillInItsJitterIsTheNextFireThoughItsNominalTimeHasPassed() {
    Schedule jittered = Schedule.newBuilder(hourly()).setJitterMs(Duration.ofMinutes(30).toMillis()).build();
    ScheduleState state = state(jittered);
    state.setHandledUntil(Instant.parse("2026-12-01T09:00:00Z"));
    Instant now = Instant.parse("2026-12-01T10:00:00.001Z");
    ScheduleSpec spec = ScheduleSpec.of(jittered);
    Instant tenOClock = Instant.parse("2026-12-01T10:00:00Z");
    assertThat(spec.dueAt(tenOClock)).isAfter(now);

    ScheduleDocument doc = ScheduleDocument.of(state, fires).orElseThrow();

    assertThat(doc.nextFires()).containsExactly(spec.dueAt(tenOClock).toString(),
        spec.dueAt(tenOClock.plus(Duration.ofHours(1))).toString(),
        spec.dueAt(tenOClock.plus(Duration.ofHours(2))).toString());
  }

  @Test
  void aPauseByCommandHasItsReasonAndNoNextFires() {
    ScheduleState paused = state(hourly());
    paused.setPausedBy("alice");
    paused.setPauseReason("warehouse upgrade");
    paused.setLastMissionId("s.hourly.20261201T1000Z");
    paused.setLastMissionStatus(ScheduledMissionStatus.FAILED);

    ScheduleDocument doc = ScheduleDocument.of(paused, fires).orElseThrow();

    assertThat(doc.paused()).isTrue();
    assertThat(doc.pausedBy()).isEqualTo("alice");
    assertThat(doc.pauseReason()).isEqualTo("warehouse upgrade");
    assertThat(doc.pausedInFile()).isFalse();
    assertThat(doc.nextFires()).isEmpty();
    assertThat(doc.lastMissionId()).isEqualTo("s.hourly.20261201T1000Z");
    assertThat(doc.lastMissionStatus()).isEqualTo("FAILED");
  }

  @Test
  void aPauseInTheFileIsTheFilesWhateverACommandSaid() {
    ScheduleState paused = state(Schedule.newBuilder(hourly()).setPaused(true).build());
    paused.setPausedBy("alice");
    paused.setPauseReason("older pause");

    ScheduleDocument doc = ScheduleDocument.of(paused, fires).orElseThrow();

    assertThat(doc.pausedBy()).isEqualTo("schedules file");
    assertThat(doc.pausedInFile()).isTrue();
    assertThat(doc.pauseReason()).isNull();
    assertThat(doc.nextFires()).isEmpty();
  }

  @Test
  void anEndedScheduleHasNoNextFiresAndARemovedOneNoDocument() {
    Schedule ended = Schedule.newBuilder(hourly()).setEndAt(Instant.parse("2026-12-01T12:00:00Z")).build();
    assertThat(ScheduleDocument.of(state(ended), fires).orElseThrow().nextFires())
        .isEqualTo(List.of("2026-12-01T11:00:00Z", "2026-12-01T12:00:00Z"));

    ScheduleState removed = state(hourly());
    removed.setDefinition(null);
    assertThat(ScheduleDocument.of(removed, fires)).isEmpty();
  }

  private static Schedule hourly() {
    return Schedule.newBuilder().setName("hourly").setPlan("p").setEveryMs(Duration.ofHours(1).toMillis()).build();
  }

  private static ScheduleState state(Schedule definition) {
    return ScheduleState.newBuilder().setSchedule(definition.getName()).setDefinition(definition)
        .setHandledUntil(HANDLED_UNTIL).build();
  }
}
