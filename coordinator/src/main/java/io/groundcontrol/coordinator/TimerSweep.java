package io.groundcontrol.coordinator;

import io.groundcontrol.mission.TimerFired;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Function;

/**
 * Removes the timers of forgotten missions, which would otherwise stay until they come due (a
 * {@code timeout: 30d} stays 30 days after its attempt ended, whatever the retention). A timer is
 * not removed when its attempt ends, which would cost every attempt a write on the hand-off's
 * path, nor by the forget itself: its key begins with its due time, which the forgotten mission
 * does not hold (a timeout counts from its attempt's start, which the stored stage no longer
 * says once the attempt ended, nor for earlier attempts; a start timeout and a liveness watch
 * count from when the coordinator read an input, which nothing records).
 *
 * <p>So a forget starts a pass over the timers not due yet, in key order, a batch at a time from
 * where the last batch stopped; it removes each stage's timer whose mission is no longer stored,
 * or was started again since ({@link TimerFired#outlivedItsMission}). A forget during a pass
 * calls for another pass after it, since its timers may lie behind. Each removed timer is one
 * delete, which its firing would otherwise have written; a timer still kept costs a read (and a
 * look-up of its mission) per pass. A pass begins at most once per {@link #PASS}: with retention,
 * missions are forgotten all the time, and passes back to back would read every timer not yet due
 * over and over on the stream thread.
 */
final class TimerSweep {
  /**
   * Timers read at most per sweep: 1,000 a second per partition at the 100 ms tick, so a partition
   * holding a million timers is swept in about 17 minutes.
   */
  static final int BATCH = 100;
  /** The least time from the start of one pass to the start of the next. */
  static final Duration PASS = Duration.ofMinutes(1);

  private final TimerIndex timers;
  /** When the mission stored under an id started; null if none is stored. */
  private final Function<String, Instant> missionStarts;
  /** Some mission was forgotten since the pass under way began (or none began since this task started here). */
  private boolean passWanted = true;
  private boolean passing;
  /** The key the pass under way stopped at; null: it starts from the timers not due yet. */
  private String passAt;
  /** When the last pass began; null before the first. */
  private Instant passBegan;

  TimerSweep(TimerIndex timers, Function<String, Instant> missionStarts) {
    this.timers = timers;
    this.missionStarts = missionStarts;
  }

  /** A mission was forgotten: its timers are to be removed. */
  void missionForgotten() {
    passWanted = true;
  }

  /**
   * Goes on with the pass under way, or starts one if a mission was forgotten and the last began
   * {@link #PASS} before {@code now}.
   */
  void sweep(Instant now) {
    if (!passing) {
      if (!passWanted || passBegan != null && now.isBefore(passBegan.plus(PASS))) {
        return;
      }
      passWanted = false;
      passing = true;
      passAt = null;
      passBegan = now;
    }
    passAt = timers.removeOutlived(passAt, now, BATCH,
        timer -> timer.outlivedItsMission(missionStarts.apply(timer.missionId())));
    passing = passAt != null;
  }
}
