package io.groundcontrol.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.schema.Actor;
import io.groundcontrol.schema.ActorKind;
import io.groundcontrol.schema.ScheduleEvent;
import io.groundcontrol.schema.ScheduleFired;
import io.groundcontrol.schema.SchedulePaused;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SchedulePublisherTest {
  private static final Actor ME = new Actor(ActorKind.USER, "ada", "laptop");
  private static final Instant ISSUED = Instant.parse("2026-12-06T04:00:00.123456Z");

  @Test
  void theSchedulersAnswerToThisCommandIsTakenAtItsRecordsMillisecond() {
    ScheduleEvent answer = paused("hourly", Instant.parse("2026-12-06T04:00:00.123Z"), ME);

    assertThat(SchedulePublisher.isAnswer(answer, "hourly", ME, ISSUED)).isTrue();
  }

  @Test
  void aFireOfTheSameScheduleRightAfterTheCommandIsNotItsAnswer() {
    ScheduleEvent fire = new ScheduleEvent("hourly", Instant.parse("2026-12-06T04:00:00.200Z"),
        new ScheduleFired(Instant.parse("2026-12-06T04:00:00Z"), "hourly-1", false, null, null), null);

    assertThat(SchedulePublisher.isAnswer(fire, "hourly", ME, ISSUED)).isFalse();
  }

  @Test
  void anotherOperatorsOrAnotherHostsCommandInTheSameMillisecondIsNotItsAnswer() {
    Instant sameMilli = Instant.parse("2026-12-06T04:00:00.123Z");

    assertThat(SchedulePublisher.isAnswer(paused("hourly", sameMilli, new Actor(ActorKind.USER, "bob", "laptop")),
        "hourly", ME, ISSUED)).isFalse();
    assertThat(SchedulePublisher.isAnswer(paused("hourly", sameMilli, new Actor(ActorKind.USER, "ada", "server")),
        "hourly", ME, ISSUED)).isFalse();
    assertThat(SchedulePublisher.isAnswer(paused("nightly", sameMilli, ME), "hourly", ME, ISSUED)).isFalse();
  }

  @Test
  void anEarlierCommandOfTheSameOperatorIsNotItsAnswer() {
    ScheduleEvent earlier = paused("hourly", Instant.parse("2026-12-06T03:59:59.900Z"), ME);

    assertThat(SchedulePublisher.isAnswer(earlier, "hourly", ME, ISSUED)).isFalse();
  }

  private static ScheduleEvent paused(String schedule, Instant at, Actor by) {
    return new ScheduleEvent(schedule, at, new SchedulePaused(by.getId(), null), by);
  }
}
