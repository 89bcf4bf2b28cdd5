package io.groundcontrol.mission;

import io.groundcontrol.schema.ReusedFrom;
import io.groundcontrol.schema.StageError;
import io.groundcontrol.schema.StageStatus;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.Optional;

/** Read-only view of one stage of a mission. */
public interface StageView {
  /** The statuses that let downstream stages run: FINISHED, REUSED or SKIPPED. */
  Set<StageStatus> RELEASING =
      Collections.unmodifiableSet(EnumSet.of(StageStatus.FINISHED, StageStatus.REUSED, StageStatus.SKIPPED));

  /** The statuses of a stage out: queued, dispatched, running, awaiting a retry or a result. */
  Set<StageStatus> OUT = Collections.unmodifiableSet(EnumSet.of(StageStatus.QUEUED, StageStatus.DISPATCHED,
      StageStatus.RUNNING, StageStatus.AWAITING_RETRY, StageStatus.AWAITING_RESULT));

  String name();

  StageStatus status();

  /** The current attempt, 0 before the first dispatch. */
  int attempt();

  /** Id of the worker that reported on the current attempt, if any did. */
  Optional<String> worker();

  /** Outputs of the finished attempt, values as JSON text. */
  Map<String, String> outputs();

  /** Why the last attempt failed, if it did. */
  Optional<StageError> error();

  Instant updatedAt();

  /**
   * For a stage whose plan allows reuse: the hash of its component and resolved params, under
   * which the results index keeps its result. Set when it is looked up or dispatched.
   */
  Optional<String> resultKey();

  /** For a REUSED stage: the mission and stage whose result it took, and when that finished. */
  Optional<ReusedFrom> reusedFrom();

  /**
   * The number of the stage's latest lookup in the results index (the sequence of its
   * StageResultRequested), kept when it is reset; 0 if it never asked since lookups were numbered.
   * The stage takes only an answer naming it, and names it when it ends.
   */
  long resultAsk();

  /**
   * The attempt after which the stage's retry policy counts its attempts: the attempt it had when
   * it was last reset to run again (a retry by command, a failed mission started again), 0 if it
   * never was. A chunk's policy counts from its fan-out's {@link FanOut#attemptBase()} if that is
   * higher.
   */
  int retryBase();

  /** For a chunk instance ({@code score[17]}): its items, a JSON array. */
  default Optional<String> items() {
    return Optional.empty();
  }

  /** For a stage fanned out in chunks: its counters. */
  default Optional<FanOut> fanOut() {
    return Optional.empty();
  }

  /** Whether downstream stages may run after this one: FINISHED, REUSED or SKIPPED. */
  default boolean releasesDownstream() {
    return RELEASING.contains(status());
  }

  /** Whether the stage has outputs for its downstream: FINISHED or REUSED. */
  default boolean hasResult() {
    return status() == StageStatus.FINISHED || status() == StageStatus.REUSED;
  }

  /** Whether the stage waits for a slot of its capped component. */
  default boolean isQueued() {
    return status() == StageStatus.QUEUED;
  }

  /** Whether the stage is out (see {@link #OUT}): it has yet to end, with a result or none. */
  default boolean isOut() {
    return OUT.contains(status());
  }

  /** Whether an attempt is out with a worker: DISPATCHED or RUNNING. */
  default boolean isActive() {
    return status() == StageStatus.DISPATCHED || status() == StageStatus.RUNNING;
  }

  /**
   * Whether the current attempt was dispatched on a granted slot of its capped component: it holds
   * the slot while it is out with a worker, and gives it back when it ends.
   */
  boolean slotGranted();
}
