package io.groundcontrol.coordinator;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * How long a deleted instruction topic waits to be created again for its component's workers to let
 * go of its partitions ({@link WorkerHold}): until none holds one, or at most {@link #longest}. The
 * wait is bounded because the stream thread that dispatches to the topic, and every mission on it,
 * waits for the topic; a worker that died holds its partitions until its session times out, and
 * one that does not read cannot skip anything.
 */
final class RecreationWaits {
  /** What to do with a missing topic now. */
  enum Decision {
    /** No worker holds a partition of it: create it. */
    CREATE,
    /** A worker may still hold one: look again soon. */
    WAIT,
    /** A worker may still hold one, but the topic has waited as long as it may: create it, and say so. */
    CREATE_WAITED_OUT
  }

  private final Duration longest;
  /** When each waiting topic was first found held, in {@link System#nanoTime} of the caller. */
  private final Map<String, Long> since = new HashMap<>();

  RecreationWaits(Duration longest) {
    this.longest = longest;
  }

  /** What to do with missing {@code topic}, held or not at {@code nowNanos}. */
  Decision decide(String topic, boolean held, long nowNanos) {
    if (!held) {
      since.remove(topic);
      return Decision.CREATE;
    }
    long first = since.computeIfAbsent(topic, t -> nowNanos);
    if (nowNanos - first < longest.toNanos()) {
      return Decision.WAIT;
    }
    since.remove(topic);
    return Decision.CREATE_WAITED_OUT;
  }

  /** Whether {@code topic} waits for workers now. */
  boolean waiting(String topic) {
    return since.containsKey(topic);
  }

  /** Forgets the waits of topics no longer missing (created again by someone else, say). */
  void retainOnly(Collection<String> missing) {
    since.keySet().retainAll(missing);
  }

  Duration longest() {
    return longest;
  }
}
