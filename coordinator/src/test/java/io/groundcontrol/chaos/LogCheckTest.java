package io.groundcontrol.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.schema.Actor;
import io.groundcontrol.schema.ActorKind;
import io.groundcontrol.schema.Cause;
import io.groundcontrol.schema.CauseKind;
import io.groundcontrol.schema.InputRejected;
import io.groundcontrol.schema.MissionEvent;
import io.groundcontrol.schema.MissionFailed;
import io.groundcontrol.schema.MissionFinished;
import io.groundcontrol.schema.MissionStarted;
import io.groundcontrol.schema.RejectionReason;
import io.groundcontrol.schema.StageDispatched;
import io.groundcontrol.schema.StageError;
import io.groundcontrol.schema.StageFailed;
import io.groundcontrol.schema.StageFinished;
import io.groundcontrol.schema.StageStarted;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LogCheckTest {
  private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
  private static final Actor WORKER = new Actor(ActorKind.WORKER, "w-1", "h");

  /** Builds one mission's log with gapless sequence numbers unless told otherwise. */
  private static final class Log {
    final String missionId;
    final List<MissionEvent> events = new ArrayList<>();
    long sequence;

    Log(String missionId) {
      this.missionId = missionId;
    }

    Log at(long millis, Object event) {
      events.add(new MissionEvent(missionId, ++sequence, T0.plusMillis(millis),
          new Cause(CauseKind.REPORT, WORKER, null), event));
      return this;
    }

    Log started() {
      return at(0, new MissionStarted("p", "v1", Map.of(), List.of("train"), false, 0));
    }

    Log dispatched(int attempt) {
      return at(0, new StageDispatched("train", "ml", attempt, Map.of(), null));
    }

    Log skipSequence() {
      sequence++;
      return this;
    }
  }

  private static LogCheck.Tally check(List<String> expected, Log... logs) {
    Map<String, List<MissionEvent>> events = new java.util.HashMap<>();
    for (Log log : logs) {
      events.put(log.missionId, log.events);
    }
    return LogCheck.check(expected, events, stage -> Optional.of(Duration.ofSeconds(3)));
  }

  @Test
  void aCleanRunIsNotBroken() {
    LogCheck.Tally tally = check(List.of("m1"), new Log("m1").started().dispatched(1).at(10, new MissionFinished()));

    assertThat(tally.broken()).isFalse();
    assertThat(tally.started()).isEqualTo(1);
    assertThat(tally.ended("FINISHED")).isEqualTo(1);
  }

  @Test
  void aMissionWithoutAnEndIsLost() {
    LogCheck.Tally tally = check(List.of("m1", "m2"), new Log("m1").started());

    assertThat(tally.neverEnded()).containsExactly("m1", "m2");
    assertThat(tally.broken()).isTrue();
  }

  @Test
  void duplicatesAndGapsAreCounted() {
    LogCheck.Tally tally = check(List.of("m1"),
        new Log("m1").started().started().dispatched(1).dispatched(1).skipSequence()
            .at(10, new MissionFinished()).at(11, new MissionFinished()));

    assertThat(tally.startedTwice()).isEqualTo(1);
    assertThat(tally.dispatchedTwice()).isEqualTo(1);
    assertThat(tally.sequenceGaps()).isEqualTo(1);
    assertThat(tally.endedTwice()).isEqualTo(1);
  }

  @Test
  void anAttemptFinishedByItsWorkerWithoutAStartIsCleanAndHasNoDeadline() {
    Log log = new Log("m1").started().dispatched(1)
        .at(500, new StageFinished("train", 1, Map.of(), "w-1"))
        .at(600, new InputRejected("finish stage 'train' (attempt 1) from worker w-1", "Expected ..., but ...",
            RejectionReason.WRONG_STAGE_STATE))
        .at(700, new MissionFinished());

    LogCheck.Tally tally = check(List.of("m1"), log);

    assertThat(tally.broken()).as("a duplicate of a report already taken is not one lost").isFalse();
    assertThat(tally.ended("FINISHED")).isEqualTo(1);
  }

  @Test
  void aFinishReportWrittenBeforeItsDeadlineButRejectedIsCountedOneAfterIsNot() {
    Log inTime = new Log("m1").started().dispatched(1)
        .at(1000, new StageStarted("train", 1, "w-1", null, T0.plusMillis(1000)))
        .at(4000, new StageFailed("train", 1, new StageError("timed out after 3s (attempt 1)", null, true), null))
        .at(3900, new InputRejected("finish stage 'train' (attempt 1) from worker w-1", "Expected ..., but ...", RejectionReason.STALE_ATTEMPT))
        .at(4100, new MissionFailed("timed out"));
    Log late = new Log("m2").started().dispatched(1)
        .at(1000, new StageStarted("train", 1, "w-1", null, T0.plusMillis(1000)))
        .at(4000, new StageFailed("train", 1, new StageError("timed out after 3s (attempt 1)", null, true), null))
        .at(4200, new InputRejected("finish stage 'train' (attempt 1) from worker w-1", "Expected ..., but ...", RejectionReason.STALE_ATTEMPT))
        .at(4300, new MissionFailed("timed out"));

    LogCheck.Tally tally = check(List.of("m1", "m2"), inTime, late);

    assertThat(tally.rejectedInTime()).isEqualTo(1);
    assertThat(tally.failureReasons()).containsEntry("timed out after", 2);
    assertThat(tally.ended("FAILED")).isEqualTo(2);
  }
}
