package io.groundcontrol.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/** A closed loop's missions: replaced while it runs, waited for once it stops, the ones that never end counted. */
class LoopMissionsTest {
  private final AtomicInteger ids = new AtomicInteger();
  private final LoopMissions loop = new LoopMissions(() -> "m-" + ids.incrementAndGet());

  @Test
  void aMissionThatNeverEndsIsCountedOnceTheLoopStopsAndTheWaitRunsOut() throws InterruptedException {
    List<LoopMissions.Start> started = loop.run("p", 2, 0);
    LoopMissions.Start replacement = loop.ended(started.get(0).missionId(), 1);
    loop.stop();
    loop.ended(replacement.missionId(), 2);

    // started.get(1) never ends: no failure, no rejection in the log, only this count.
    assertThat(loop.awaitEnded(Duration.ofMillis(50))).isEqualTo(1);
  }

  /**
   * A mission of a 10,000-stage plan outlasts the wait a quick run's window gives (the quick run
   * counted all 64 of plan-10k as failed): it is waited for as long as its stages finish.
   */
  @Test
  void aMissionThatKeepsFinishingStagesIsWaitedForPastTheLimit() throws InterruptedException {
    String slow = loop.run("p", 1, 0).get(0).missionId();
    loop.stop();
    long moving = System.nanoTime() + Duration.ofMillis(2_500).toNanos();
    Thread stages = new Thread(() -> {
      while (System.nanoTime() - moving < 0) {
        loop.movedOn(slow);
        LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
      }
      loop.ended(slow, 1);
    });
    stages.start();

    assertThat(loop.awaitEnded(Duration.ofSeconds(1))).isZero();
    stages.join();
  }

  @Test
  void anotherMissionsStagesDoNotKeepTheWaitGoing() throws InterruptedException {
    loop.run("p", 1, 0);
    loop.stop();
    loop.movedOn("m-elsewhere");

    assertThat(loop.awaitEnded(Duration.ofMillis(50))).isEqualTo(1);
  }

  @Test
  void missionsThatEndWhileTheStoppedLoopIsWaitedForCountNone() throws InterruptedException {
    List<LoopMissions.Start> started = loop.run("p", 3, 0);
    loop.stop();
    Thread reader = new Thread(() -> started.forEach(start -> loop.ended(start.missionId(), 1)));
    reader.start();

    assertThat(loop.awaitEnded(Duration.ofSeconds(30))).isZero();
    reader.join();
  }

  @Test
  void eachMissionThatEndsIsReplacedUntilTheLoopStops() {
    List<LoopMissions.Start> started = loop.run("p", 1, 0);

    LoopMissions.Start replacement = loop.ended(started.get(0).missionId(), 1);
    assertThat(replacement).isEqualTo(new LoopMissions.Start("m-2", "p"));
    assertThat(loop.ended("not-of-the-loop", 1)).isNull();
    loop.stop();
    assertThat(loop.ended(replacement.missionId(), 2)).isNull();
  }

  @Test
  void aNextLoopStartsFromNoneInFlight() throws InterruptedException {
    loop.run("p", 1, 0);
    loop.stop();
    assertThat(loop.awaitEnded(Duration.ZERO)).isEqualTo(1);

    LoopMissions.Start next = loop.run("q", 1, 0).get(0);
    loop.stop();
    loop.ended(next.missionId(), 1);
    assertThat(loop.awaitEnded(Duration.ZERO)).isZero();
  }

  @Test
  void waitingForARunningLoopToEndIsRefused() {
    loop.run("p", 1, 0);

    assertThatThrownBy(() -> loop.awaitEnded(Duration.ZERO)).isInstanceOf(IllegalStateException.class)
        .hasMessage("The closed loop of plan 'p' still runs: stop it before waiting for its end");
  }

  @Test
  void aLoopOfNoMissionsIsRefused() {
    assertThatThrownBy(() -> loop.run("p", 0, 0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Expected at least one mission in flight for a closed loop of plan 'p', but got 0");
  }

  @Test
  void durationsRunFromStartToEnd() {
    LoopMissions.Start start = loop.run("p", 1, TimeUnit.MILLISECONDS.toNanos(1_000)).get(0);
    loop.ended(start.missionId(), TimeUnit.MILLISECONDS.toNanos(1_250));

    Histogram durations = loop.durations();
    assertThat(durations.getTotalCount()).isEqualTo(1);
    assertThat(durations.getMaxValue()).isEqualTo(250);
    assertThat(loop.durations().getTotalCount()).isZero();
  }

  @Test
  void theWaitIsAFewSecondsPlusAFewP99sBounded() {
    assertThat(LoopMissions.drainLimit(millis())).isEqualTo(Duration.ofSeconds(60));
    assertThat(LoopMissions.drainLimit(millis(100, 2_000))).isEqualTo(Duration.ofSeconds(13));
    assertThat(LoopMissions.drainLimit(millis(100_000))).isEqualTo(Duration.ofSeconds(60));
  }

  @Test
  void unendedMissionsAreTheRowsFailures() {
    Measurement row = new Measurement("linear3-n64", "setup", 10, 100, 300, 1, 1, 1, 0, null, null, 0, "");

    Measurement counted = row.withUnended(2, Duration.ofMillis(13_000));

    assertThat(counted.failures()).isEqualTo(2);
    assertThat(counted.note()).isEqualTo("2 missions of the loop had not ended once none had moved on for 13.0 s after the window (counted as failed)");
  }

  private static Histogram millis(long... values) {
    Histogram histogram = new Histogram(600_000, 3);
    for (long value : values) {
      histogram.recordValue(value);
    }
    return histogram;
  }
}
