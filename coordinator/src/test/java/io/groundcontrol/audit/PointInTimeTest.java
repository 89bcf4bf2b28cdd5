package io.groundcontrol.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.groundcontrol.schema.Actor;
import io.groundcontrol.schema.ActorKind;
import io.groundcontrol.schema.Cause;
import io.groundcontrol.schema.CauseKind;
import io.groundcontrol.schema.MissionEvent;
import io.groundcontrol.schema.MissionFinished;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

class PointInTimeTest {
  private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
  private static final Instant T = Instant.parse("2026-11-22T10:15:30Z");

  @Test
  void acceptsInstantsOffsetsAndLocalDateTimes() {
    assertThat(PointInTime.parse("2026-11-22T10:15:30Z", PARIS)).isEqualTo(T);
    assertThat(PointInTime.parse("2026-11-22T11:15:30+01:00", PARIS)).isEqualTo(T);
    assertThat(PointInTime.parse("2026-11-22T11:15:30", PARIS)).isEqualTo(T);
    assertThat(PointInTime.parse("2026-11-22T11:15", PARIS)).isEqualTo(T.minusSeconds(30));
  }

  @Test
  void saysWhichFormsItAccepts() {
    assertThatThrownBy(() -> PointInTime.parse("yesterday", PARIS))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Expected a time like 2026-11-22T10:15:30Z, 2026-11-22T11:15:30+01:00 or 2026-11-22T10:15:30 "
            + "(in Europe/Paris), but got 'yesterday'");
  }

  @Test
  void theHistoryAsOfATimeIncludesEventsAtThatTimeAndStopsAtTheFirstLaterOne() {
    List<MissionEvent> events = List.of(at(1, 0), at(2, 10), at(3, 10), at(4, 30), at(5, 20));

    assertThat(PointInTime.upTo(events, T.plusSeconds(10))).extracting(MissionEvent::getSequence).containsExactly(1L, 2L, 3L);
    assertThat(PointInTime.upTo(events, T.plusSeconds(25)))
        .as("event 5 is stamped before event 4 (clock skew), but the coordinator wrote it after")
        .extracting(MissionEvent::getSequence).containsExactly(1L, 2L, 3L);
    assertThat(PointInTime.upTo(events, T.minusSeconds(1))).isEmpty();
  }

  private static MissionEvent at(long sequence, long secondsAfterT) {
    return new MissionEvent("m-1", sequence, T.plusSeconds(secondsAfterT),
        new Cause(CauseKind.REPORT, new Actor(ActorKind.WORKER, "w-1", null), 1), new MissionFinished());
  }
}
