package io.groundcontrol.coordinator;

import java.util.HashSet;
import java.util.Set;

/**
 * Whether a stream thread's open transaction is worth committing now, or whether an input that
 * would join it is about to arrive: a report on an instruction the last commit released. Plain
 * bookkeeping with no Kafka types; {@link CommitWhenDrained} tells it what was read, written and
 * answered, and when a commit happened.
 *
 * <p>The reports on a commit's instructions are awaited for a short time after it. Under load they
 * come back within a few milliseconds, and the transaction that takes them in commits once the last
 * one is in. A report later than that is not waited for: a stage that does real work, a worker gone.
 * So missions whose stages take seconds still hand off at once, and a transaction waits only as long
 * as the reports of a round of no-op stages take to come back.
 */
final class CommitReadiness {
  private final long awaitMs;
  private final long admissionQuietMs;
  /** Instructions written in the open transaction. */
  private Set<Attempt> released = new HashSet<>();
  /** Instructions of the last committed transaction whose reports have not come in. */
  private Set<Attempt> awaited = new HashSet<>();
  private long lastRecordMs = Long.MIN_VALUE / 2;
  /** When the thread read the last record before the one (or the timers) being processed. */
  private long quietSinceMs = Long.MIN_VALUE / 2;
  /** When the last commit holding output ended, as near as the thread can tell (see {@link #committed}). */
  private long committedMs = Long.MIN_VALUE / 2;
  private boolean holdsOutput;
  private boolean onAdmissionPath;

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
   * The open transaction carries the capped path: it wrote a request to an admission sub-topology,
   * or read a grant from one. A grant needs the request's commit and then the admission's own, so
   * no report stands for what such a transaction waits on; only a quiet spell, or the time reports
   * are awaited, makes it ready. Committing whenever the reports were in took the capped path from
   * 0.042 to 0.127 commits a completion and cost it 40% of its completions/s.
   */
  void onAdmissionPath() {
    holdsOutput = true;
    onAdmissionPath = true;
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
    Set<Attempt> committed = released;
    released = awaited;
    released.clear();
    awaited = committed;
    holdsOutput = false;
    onAdmissionPath = false;
  }

  /** Whether the open transaction holds output. */
  boolean holdsOutput() {
    return holdsOutput;
  }

  /**
   * Whether the open transaction holds output and, at {@code nowMs}, no report on the last committed
   * one is awaited any more: all came in, or the time they are awaited has passed. One on the capped
   * path is ready after that time too, or once the thread had been quiet for the admission's quiet time.
   */
  boolean ready(long nowMs) {
    if (!holdsOutput) {
      return false;
    }
    boolean waitedEnough = nowMs - committedMs >= awaitMs;
    if (onAdmissionPath) {
      return waitedEnough || nowMs - quietSinceMs >= admissionQuietMs;
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

  /** How many of the last committed transaction's instructions are unanswered. */
  int awaited() {
    return awaited.size();
  }

  private record Attempt(String missionId, String stage, int attempt) {
  }
}
