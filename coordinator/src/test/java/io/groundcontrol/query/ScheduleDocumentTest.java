package io.groundcontrol.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.schema.Schedule;
import io.groundcontrol.schema.ScheduleState;
import io.groundcontrol.schema.ScheduledMissionStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the read side says of a stored schedule: next fires, pause, last mission. */
class ScheduleDocumentTest {
  private static final Instant NOW = Instant.parse("2026-12-01T10:20:00Z");
  private final NextFires fires = new NextFires();

  @Test
  void anIntervalScheduleListsItsNextThreeFiresAfterNow() {
    ScheduleDocument doc = ScheduleDocument.of(state(hourly()), NOW, fires).orElseThrow();

    assertThat(doc.when()).isEqualTo("every 1h");
    assertThat(doc.nextFires()).containsExactly("2026-12-01T11:00:00Z", "2026-12-01T12:00:00Z", "2026-12-01T13:00:00Z");
    assertThat(doc.paused()).isFalse();
    assertThat(doc.pausedBy()).isNull();
  }

  @Test
  void aCronScheduleFiresAtLocalTimesOfItsZone() {
    Schedule nightly = Schedule.newBuilder().setName("nightly").setPlan("p").setCron("30 2 * * *")
        .setTimeZone("Europe/Copenhagen").build();

    ScheduleDocument doc = ScheduleDocument.of(state(nightly), NOW, fires).orElseThrow();

    assertThat(doc.when()).isEqualTo("30 2 * * * Europe/Copenhagen");
    assertThat(doc.nextFires()).containsExactly("2026-12-02T01:30:00Z", "2026-12-03T01:30:00Z", "2026-12-04T01:30:00Z");
  }

  @Test
  void theRememberedFiresMoveOnOnceTheFirstComesDueAndWhenTheDefinitionChanges() {
    ScheduleDocument.of(state(hourly()), NOW, fires).orElseThrow();

    assertThat(ScheduleDocument.of(state(hourly()), NOW.plusSeconds(60), fires).orElseThrow().nextFires())
        .startsWith("2026-12-01T11:00:00Z");
    assertThat(ScheduleDocument.of(state(hourly()), Instant.parse("2026-12-01T11:00:00Z"), fires).orElseThrow()
        .nextFires()).startsWith("2026-12-01T12:00:00Z");
    Schedule every15 = Schedule.newBuilder(hourly()).setEveryMs(Duration.ofMinutes(15).toMillis()).build();
    assertThat(ScheduleDocument.of(state(every15), NOW, fires).orElseThrow().nextFires())
        .containsExactly("2026-12-01T10:30:00Z", "2026-12-01T10:45:00Z", "2026-12-01T11:00:00Z");
  }

  @Test
  void firesAreCountedFromWhatTheSchedulerHandledWhenThatIsAhead() {
    ScheduleState ahead = state(hourly());
    ahead.setHandledUntil(Instant.parse("2026-12-01T11:00:00Z"));

    assertThat(ScheduleDocument.of(ahead, NOW, fires).orElseThrow().nextFires()).startsWith("2026-12-01T12:00:00Z");
  }

  @Test
  void aPauseByCommandHasItsReasonAndNoNextFires() {
    ScheduleState paused = state(hourly());
    paused.setPausedBy("alice");
    paused.setPauseReason("warehouse upgrade");
    paused.setLastMissionId("s.hourly.20261201T1000Z");
    paused.setLastMissionStatus(ScheduledMissionStatus.FAILED);

    ScheduleDocument doc = ScheduleDocument.of(paused, NOW, fires).orElseThrow();

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

    ScheduleDocument doc = ScheduleDocument.of(paused, NOW, fires).orElseThrow();

    assertThat(doc.pausedBy()).isEqualTo("schedules file");
    assertThat(doc.pausedInFile()).isTrue();
    assertThat(doc.pauseReason()).isNull();
    assertThat(doc.nextFires()).isEmpty();
  }

  @Test
  void anEndedScheduleHasNoNextFiresAndARemovedOneNoDocument() {
    Schedule ended = Schedule.newBuilder(hourly()).setEndAt(Instant.parse("2026-12-01T12:00:00Z")).build();
    assertThat(ScheduleDocument.of(state(ended), NOW, fires).orElseThrow().nextFires())
        .isEqualTo(List.of("2026-12-01T11:00:00Z", "2026-12-01T12:00:00Z"));

    ScheduleState removed = state(hourly());
    removed.setDefinition(null);
    assertThat(ScheduleDocument.of(removed, NOW, fires)).isEmpty();
  }

  private static Schedule hourly() {
    return Schedule.newBuilder().setName("hourly").setPlan("p").setEveryMs(Duration.ofHours(1).toMillis()).build();
  }

  private static ScheduleState state(Schedule definition) {
    return ScheduleState.newBuilder().setSchedule(definition.getName()).setDefinition(definition)
        .setHandledUntil(NOW.minus(Duration.ofMinutes(20))).build();
  }
}
