package io.groundcontrol.audit;

import io.groundcontrol.client.MissionLog;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * Every mission rebuilt from the whole mission-events log, and how long reading and folding took.
 *
 * @param fold the rebuilt missions and the histories that broke
 * @param elapsed time to read, decode and fold every event
 */
public record LogReplay(MissionFold fold, Duration elapsed) {
  /** Reads the log from its beginning to its current end and folds it; undecodable records go to {@code problems}. */
  public static LogReplay of(MissionLog log, Consumer<String> problems) {
    long begin = System.nanoTime();
    MissionFold fold = new MissionFold();
    log.scan(key -> true, fold::accept, problems);
    return new LogReplay(fold, Duration.ofNanos(System.nanoTime() - begin));
  }

  /** Events read and folded per second. */
  public double eventsPerSecond() {
    double seconds = Math.max(elapsed.toNanos(), 1) / 1e9;
    return fold.events() / seconds;
  }
}
