package io.groundcontrol.coordinator;

import java.util.HashSet;
import java.util.Set;

/**
 * Whether a stream thread's open transaction is worth committing now, or whether an input that
 * would join it is about to arrive: a report on an instruction the last commit released, or an
 * {@link Ask} it wrote to another sub-topology of this thread. Plain bookkeeping with no Kafka
 * types; {@link CommitWhenDrained} tells it what was read, written and answered, and when a commit
 * happened.
 *
 * <p>The reports on a commit's instructions are awaited for a short time after it. Under load they
 * come back within a few milliseconds, and the transaction that takes them in commits once the last
 * one is in. A report later than that is not waited for: a stage that does real work, a worker gone.
 * So missions whose stages take seconds still hand off at once, and a transaction waits only as long
 * as the reports of a round of no-op stages take to come back. The asks come back sooner: they are
 * readable as the commit ends, and the thread reads them at its next poll.
 */
final class CommitReadiness {
  private final long awaitMs;
  private final long admissionQuietMs;
  /** Instructions and asks written in the open transaction. */
  private Set<Object> released = new HashSet<>();
  /** Instructions of the last committed transaction whose reports have not come in, and its asks not read yet. */
  private Set<Object> awaited = new HashSet<>();
  private long lastRecordMs = Long.MIN_VALUE / 2;
  /** When the thread read the last record before the one (or the timers) being processed. */
  private long quietSinceMs = Long.MIN_VALUE / 2;
  /** When the last commit holding output ended, as near as the thread can tell (see {@link #committed}). */
  private long committedMs = Long.MIN_VALUE / 2;
  private boolean holdsOutput;
  private boolean onAskPath;
  /** Whether the last committed transaction wrote instructions or asks: something to be answered. */
  private boolean lastCommitReleased;

  /**
   * @param awaitMs how long after a commit the reports on its instructions are waited for
   * @param admissionQuietMs how long without a record makes a transaction holding admission requests ready
   */
  CommitReadiness(long awaitMs, long admissionQuietMs) {
    this.awaitMs = awaitMs;
    this.admissionQuietMs = admissionQuietMs;
  }

  /** A record is about to be processed, at {@code nowMs}. */
  void recordBegins(long nowMs) {
    quietSinceMs = lastRecordMs;
    lastRecordMs = nowMs;
  }

  /** Timers are about to be processed: the thread has been quiet since its last record. */
  void timersBegin() {
    quietSinceMs = lastRecordMs;
  }

  /** An instruction to run {@code attempt} of {@code stage} was written in the open transaction. */
  void instructed(String missionId, String stage, int attempt) {
    released.add(new Attempt(missionId, stage, attempt));
    holdsOutput = true;
  }

  /** Other output was written in the open transaction: events, or records for clients. */
  void outputWritten() {
    holdsOutput = true;
  }

  /**
   * The open transaction carries the path of asks: it wrote one to another sub-topology, or read
   * one there and answered it. An answer needs the ask's commit and then its own, so no report
   * stands for what such a transaction waits on; only a quiet spell, the time reports are awaited,
   * or every answer to what the last commit released (its asks read, its instructions reported on)
   * makes it ready. Committing whenever the reports were in, when the admission's own instructions
   * were not awaited, took the capped path from 0.042 to 0.127 commits a completion and cost it 40%
   * of its completions/s.
   */
  void onAskPath() {
    holdsOutput = true;
    onAskPath = true;
  }

  /** The open transaction wrote {@code ask}, to a sub-topology that may run on this thread. */
  void asked(Ask ask) {
    released.add(ask);
    onAskPath();
  }

  /** {@code ask} was read by the sub-topology it was written to. */
  void askRead(Ask ask) {
    if (!awaited.isEmpty()) {
      awaited.remove(ask);
    }
  }

  /** A report on {@code attempt} of {@code stage} came in. */
  void answered(String missionId, String stage, int attempt) {
    if (!awaited.isEmpty()) {
      awaited.remove(new Attempt(missionId, stage, attempt));
    }
  }

  /**
   * The open transaction committed, noticed at {@code nowMs}: its instructions are now the ones
   * awaited. Those of earlier transactions are no longer waited for. A thread that kept reading
   * records notices a commit as it ends; one that had nothing to read committed soon after its last
   * record, so the wait for reports counts from there, and a report after a quiet spell commits at once.
   */
  void committed(long nowMs) {
    if (!holdsOutput) {
      return;
    }
    committedMs = nowMs - lastRecordMs < awaitMs ? nowMs : lastRecordMs;
    Set<Object> committed = released;
    released = awaited;
    released.clear();
    awaited = committed;
    lastCommitReleased = !committed.isEmpty();
    holdsOutput = false;
    onAskPath = false;
  }

  /** Whether the open transaction holds output. */
  boolean holdsOutput() {
    return holdsOutput;
  }

  /**
   * Whether the open transaction holds output and, at {@code nowMs}, no report on the last committed
   * one is awaited any more: all came in, or the time they are awaited has passed. One on the path
   * of asks is ready after that time too, once the thread had been quiet for the admission's quiet
   * time, or once the last commit released something and all of it was answered.
   */
  boolean ready(long nowMs) {
    if (!holdsOutput) {
      return false;
    }
    boolean waitedEnough = nowMs - committedMs >= awaitMs;
    if (onAskPath) {
      return waitedEnough || nowMs - quietSinceMs >= admissionQuietMs || lastCommitReleased && awaited.isEmpty();
    }
    return waitedEnough || awaited.isEmpty();
  }

  /**
   * When the open transaction becomes ready without another input, if it holds output: the end of
   * the time the last commit's reports are awaited.
   */
  long readyWithoutInputAtMs() {
    return committedMs + awaitMs;
  }

  /** How many of the last committed transaction's instructions are unanswered and its asks unread. */
  int awaited() {
    return awaited.size();
  }

  /**
   * {@code hash} with {@code next} mixed in by a large odd multiplier. A record's own hash combines
   * its fields by 31: mission ids and stage names that differ only in their last characters then
   * collide in runs, and the sets' bins turn into trees (0.8% of the stream thread in a profile at
   * 256 in flight, BENCHMARKS, 2026-12-04 21:45 session, item 4).
   */
  static int mix(int hash, int next) {
    return hash * 0x9E3779B9 + next;
  }

  record Attempt(String missionId, String stage, int attempt) {
    @Override
    public int hashCode() {
      return mix(mix(missionId.hashCode(), stage.hashCode()), attempt);
    }
  }
}
