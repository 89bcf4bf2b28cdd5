package io.groundcontrol.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.schema.Actor;
import io.groundcontrol.schema.ActorKind;
import io.groundcontrol.schema.Cause;
import io.groundcontrol.schema.CauseKind;
import io.groundcontrol.schema.InputRejected;
import io.groundcontrol.schema.MissionEvent;
import io.groundcontrol.schema.MissionFailed;
import io.groundcontrol.schema.MissionFinished;
import io.groundcontrol.schema.RejectionReason;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** What the benchmark's rows count as failed and as ended, from the events the coordinator writes. */
class EventCountsTest {
  private static final Actor BENCH = new Actor(ActorKind.USER, "bench", null);
  private final EventCounts counts = new EventCounts(BENCH);

  @Test
  void aRefusedStartEndsItsMissionAndCountsOnceAmongTheRowsFailures() {
    // What ProcessingContext#reject writes for a start it refuses: sequence 0, caused by the command.
    boolean ended = counts.count(new MissionEvent("m-1", 0L, Instant.now(), new Cause(CauseKind.COMMAND, BENCH, null),
        new InputRejected("start mission on plan 'x'", "Expected plan 'x' to be applied, but it is unknown",
            RejectionReason.UNKNOWN_PLAN)));

    assertThat(ended).isTrue();
    assertThat(counts.missionsEnded()).isEqualTo(1);
    // Benchmark.window and FanOutBenchmark.measure: failures = missionsFailed() + rejections()
    assertThat(counts.missionsFailed() + counts.rejections()).isEqualTo(1);
  }

  @Test
  void aSequenceZeroRejectionOfAReportIsARejectionButNoMissionThatEnded() {
    // A late report on a mission the retention forgot (bench --retention 1s) is written the same way.
    Actor worker = new Actor(ActorKind.WORKER, "noop-1", "host");
    boolean ended = counts.count(new MissionEvent("m-2", 0L, Instant.now(), new Cause(CauseKind.REPORT, worker, 1),
        new InputRejected("finish stage s1 (attempt 1)", "Expected mission 'm-2' to exist, but it is unknown",
            RejectionReason.UNKNOWN_MISSION)));

    assertThat(ended).isFalse();
    assertThat(counts.missionsEnded()).isZero();
    assertThat(counts.missionsFailed() + counts.rejections()).isEqualTo(1);
  }

  @Test
  void aFailedMissionIsAFailureAndAFinishedOneIsNot() {
    Cause report = new Cause(CauseKind.REPORT, new Actor(ActorKind.WORKER, "noop-1", "host"), 1);

    assertThat(counts.count(new MissionEvent("m-3", 5L, Instant.now(), report, new MissionFailed("s1 failed")))).isTrue();
    assertThat(counts.count(new MissionEvent("m-4", 5L, Instant.now(), report, new MissionFinished()))).isTrue();

    assertThat(counts.missionsEnded()).isEqualTo(2);
    assertThat(counts.missionsFailed()).isEqualTo(1);
    assertThat(counts.rejections()).isZero();
  }
}
