package io.groundcontrol.mission;

/**
 * The counters of a stage fanned out in chunks, kept on the stage itself so that every question a
 * transition asks of the fan-out (a free slot? the next chunk? all done?) is answered in constant
 * time, whatever the number of chunks. Changed only by the appliers, through {@link Mission}.
 */
public final class FanOut {
  private final int chunkCount;
  private final int attemptBase;
  private int next;
  private int active;
  private int done;
  private int failed;
  private int queuedForSlot;

  /** Counters of a first fan-out, as stored before attempts were numbered past earlier fan-outs. */
  public FanOut(int chunkCount, int next, int active, int done, int failed) {
    this(chunkCount, next, active, done, failed, 0);
  }

  /** Counters as stored before chunks queued for a slot were counted apart. */
  public FanOut(int chunkCount, int next, int active, int done, int failed, int attemptBase) {
    this(chunkCount, next, active, done, failed, attemptBase, 0);
  }

  /** Counters as stored; for the store codec and the appliers. */
  public FanOut(int chunkCount, int next, int active, int done, int failed, int attemptBase, int queuedForSlot) {
    this.chunkCount = chunkCount;
    this.next = next;
    this.active = active;
    this.done = done;
    this.failed = failed;
    this.attemptBase = attemptBase;
    this.queuedForSlot = queuedForSlot;
  }

  /** How many chunks the stage was split into. */
  public int chunkCount() {
    return chunkCount;
  }

  /**
   * The cursor of the chunks to start: every chunk below it has left WAITING (it is out or
   * settled), and it stands on a WAITING chunk, or at {@link #chunkCount()} once none is left. A
   * chunk settled by hand before its turn is passed over when the cursor reaches it; a chunk
   * retried by hand puts the cursor back on itself, so it waits for a place like any other.
   */
  public int next() {
    return next;
  }

  /** Chunks out: queued for a slot, dispatched, running, awaiting a retry or a result; each holds a max_parallel place. */
  public int active() {
    return active;
  }

  /**
   * Of the chunks {@linkplain #active() out}, those QUEUED for a slot of their capped component:
   * out, holding a place under max_parallel, but not dispatched to any worker yet.
   */
  public int queuedForSlot() {
    return queuedForSlot;
  }

  /** Chunks out that are not waiting for a slot: dispatched, running, awaiting a retry or a result. */
  public int running() {
    return active - queuedForSlot;
  }

  /** Chunks FINISHED, REUSED or SKIPPED. */
  public int done() {
    return done;
  }

  /** Chunks FAILED for good. */
  public int failed() {
    return failed;
  }

  /**
   * The attempt the chunks of this fan-out count from: their first is {@code attemptBase + 1}. It
   * is above every attempt of the chunks of an earlier fan-out of the stage, so that a slot, a
   * report or a timer of an attempt of theirs is never taken for one of these. Retries count from
   * it too, so each fan-out gives its chunks the full retry policy.
   */
  public int attemptBase() {
    return attemptBase;
  }

  /** Chunks WAITING: never started, or retried by hand and waiting for a place. */
  public int notStarted() {
    return chunkCount - active - done - failed;
  }

  /**
   * Whether a chunk at or past the cursor has left WAITING: one settled by hand before its turn,
   * or one started before a retried chunk put the cursor back. Every chunk below the cursor has,
   * so this is a count, not a walk.
   */
  boolean leftWaitingPastCursor() {
    return chunkCount - notStarted() > next;
  }

  /**
   * Whether a chunk below the cursor is WAITING: only in a fan-out stored before a retried chunk
   * put the cursor back on itself.
   */
  boolean waitingBehindCursor() {
    return chunkCount - notStarted() < next;
  }

  void chunkLeftWaiting(int index) {
    if (index == next) {
      next++;
    }
  }

  void chunkBackToWaiting(int index) {
    next = Math.min(next, index);
  }

  void passCursor() {
    next++;
  }

  void count(int activeDelta, int doneDelta, int failedDelta, int queuedForSlotDelta) {
    active += activeDelta;
    done += doneDelta;
    failed += failedDelta;
    // A fan-out stored before this count was kept reads 0 with chunks queued: their leaving must
    // not take it below 0. It is an undercount until no chunk is queued, and exact from then on.
    queuedForSlot = Math.max(0, queuedForSlot + queuedForSlotDelta);
  }

  /**
   * One line for people, such as {@code 412/1000 done, 20 running, 1 failed, 567 queued}, or
   * {@code 0/12 done, 2 running, 6 waiting for a slot, 0 failed, 4 queued} when chunks wait for a
   * slot of their capped component.
   */
  public String summary() {
    return describe(chunkCount, done, running(), queuedForSlot, failed, notStarted());
  }

  /**
   * The summary line of a fan-out's counts, wherever they come from; the chunks waiting for a slot
   * are named only if there are any.
   *
   * @param running chunks dispatched, running, awaiting a retry or a result
   * @param waitingForSlot chunks queued for a slot of their capped component
   * @param queued chunks not started, waiting for a place under max_parallel
   */
  public static String describe(int total, int done, int running, int waitingForSlot, int failed, int queued) {
    return done + "/" + total + " done, " + running + " running, "
        + (waitingForSlot == 0 ? "" : waitingForSlot + " waiting for a slot, ") + failed + " failed, " + queued + " queued";
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof FanOut o && o.chunkCount == chunkCount && o.next == next && o.active == active
        && o.done == done && o.failed == failed && o.attemptBase == attemptBase && o.queuedForSlot == queuedForSlot;
  }

  @Override
  public int hashCode() {
    return ((chunkCount * 31 + next) * 31 + active) * 31 + done * 7 + failed + queuedForSlot * 13;
  }

  @Override
  public String toString() {
    return "FanOut[" + summary() + "]";
  }
}
