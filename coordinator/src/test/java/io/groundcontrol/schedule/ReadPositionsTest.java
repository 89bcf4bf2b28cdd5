package io.groundcontrol.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.mission.MissionIds;
import io.groundcontrol.schema.Actor;
import io.groundcontrol.schema.ActorKind;
import io.groundcontrol.schema.PauseSchedule;
import io.groundcontrol.schema.ReadPosition;
import io.groundcontrol.schema.Schedule;
import io.groundcontrol.schema.ScheduleCommand;
import io.groundcontrol.schema.SchedulePaused;
import io.groundcontrol.schema.ScheduleState;
import io.groundcontrol.schema.TriggerSchedule;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How the scheduler tells a record read again (at-least-once) from a new one by its input position. */
class ReadPositionsTest {
  private static final Instant T0 = Instant.parse("2026-06-01T10:00:00Z");
  private static final ReadPosition STORED = ReadPositions.at(7, T0);
  private static final Actor ANN = new Actor(ActorKind.USER, "ann", null);

  @Test
  void underAtLeastOnceARecordAtOrBelowTheStoredOffsetAndNoLaterIsReadAgain() {
    ReadPositions positions = ReadPositions.AT_LEAST_ONCE;
    assertThat(positions.readBefore(STORED, ReadPositions.at(7, T0))).isTrue();
    assertThat(positions.readBefore(STORED, ReadPositions.at(3, T0.minusSeconds(5)))).isTrue();
    assertThat(positions.readBefore(STORED, ReadPositions.at(8, T0))).as("next offset").isFalse();
    assertThat(positions.readBefore(null, ReadPositions.at(0, T0))).as("nothing stored: a state from before").isFalse();
    assertThat(positions.readBefore(STORED, null)).as("no metadata").isFalse();
  }

  @Test
  void aRecordAtAnOldOffsetStampedAfterEveryRecordReadIsNewAsAfterTheTopicWasCreatedAgain() {
    assertThat(ReadPositions.AT_LEAST_ONCE.readBefore(STORED, ReadPositions.at(0, T0.plusMillis(1)))).isFalse();
  }

  @Test
  void underExactlyOnceNothingIsEverReadAgain() {
    assertThat(ReadPositions.EXACTLY_ONCE.readBefore(STORED, ReadPositions.at(7, T0))).isFalse();
    assertThat(ReadPositions.of(false)).isSameAs(ReadPositions.EXACTLY_ONCE);
    assertThat(ReadPositions.of(true)).isSameAs(ReadPositions.AT_LEAST_ONCE);
  }

  @Test
  void thePositionAfterARecordIsItsOffsetAndTheLatestStampSeen() {
    // Senders' clocks differ: a later record may be stamped earlier; the latest stamp stays.
    assertThat(ReadPositions.after(STORED, ReadPositions.at(8, T0.minusSeconds(1)))).isEqualTo(ReadPositions.at(8, T0));
    assertThat(ReadPositions.after(null, ReadPositions.at(0, T0))).isEqualTo(ReadPositions.at(0, T0));
    assertThat(ReadPositions.after(STORED, null)).isEqualTo(STORED);
  }

  @Test
  void aStateFromBeforePositionsHandlesItsNextCommandAndKeepsItsPosition() {
    ScheduleDecider decider = new ScheduleDecider(ReadPositions.AT_LEAST_ONCE);
    ScheduleState state = ScheduleDecider.newState(hourly(), T0);
    ScheduleCommand pause = new ScheduleCommand("s", ANN, T0, new PauseSchedule("r"));

    List<ScheduleEffect> effects = decider.command(state, pause, T0, T0, ReadPositions.at(12, T0));

    assertThat(effects).extracting(e -> ((ScheduleEffect.Log) e).event()).hasOnlyElementsOfType(SchedulePaused.class);
    assertThat(state.getCommandsReadTo()).isEqualTo(ReadPositions.at(12, T0));
    assertThat(decider.command(state, pause, T0, T0.plusSeconds(60), ReadPositions.at(12, T0))).as("read again").isEmpty();
  }

  @Test
  void aFireNowReadAgainOnlySendsItsStartAgain() {
    ScheduleDecider decider = new ScheduleDecider(ReadPositions.AT_LEAST_ONCE);
    ScheduleState state = ScheduleDecider.newState(hourly(), T0);
    ScheduleCommand fireNow = new ScheduleCommand("s", ANN, T0, new TriggerSchedule(Map.of("k", "v"), null));
    decider.command(state, fireNow, T0, T0, ReadPositions.at(0, T0));
    state.setLastMissionId("s.later");

    List<ScheduleEffect> effects = decider.command(state, fireNow, T0, T0.plusSeconds(60), ReadPositions.at(0, T0));

    assertThat(effects).containsExactly(new ScheduleEffect.Start(MissionIds.forManualFire("s", T0), "p", Map.of("k", "v"), 0));
    assertThat(state.getLastMissionId()).isEqualTo("s.later");
  }

  @Test
  void underExactlyOnceTheDeciderKeepsPositionsButChecksNone() {
    ScheduleDecider decider = new ScheduleDecider();
    ScheduleState state = ScheduleDecider.newState(hourly(), T0);
    ScheduleCommand pause = new ScheduleCommand("s", ANN, T0, new PauseSchedule("r"));
    decider.command(state, pause, T0, T0, ReadPositions.at(0, T0));

    assertThat(state.getCommandsReadTo()).isEqualTo(ReadPositions.at(0, T0));
    assertThat(decider.command(state, pause, T0, T0, ReadPositions.at(0, T0))).hasSize(1);
  }

  private static Schedule hourly() {
    return Schedule.newBuilder().setName("s").setPlan("p").setEveryMs(3_600_000L).build();
  }
}
