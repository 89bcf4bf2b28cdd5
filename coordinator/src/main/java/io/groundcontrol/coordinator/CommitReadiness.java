package io.groundcontrol.coordinator;

import java.util.HashSet;
import java.util.Set;

/**
 * Whether a stream thread's open transaction is worth committing now, or whether an input that
 * would join it is about to arrive: a report on an instruction the last commit released. Plain
 * bookkeeping with no Kafka types; {@link CommitWhenDrained} tells it what was read, written and
 * answered, and when a commit happened.
 *
 * <p>The reports on a commit's instructions are awaited only while input keeps coming. After a
 * quiet spell (no record for the quiet time before this one) they are not expected soon: a stage
 * that does real work, a worker gone. Then nothing holds the commit back, so missions whose stages
 * take seconds still hand off at once; under load, when records come closer together, a report
 * still out leaves the commit to the interval, as it should when commits are what the thread spends
 * its time on.
 */
final class CommitReadiness {
  private final long quietMs;
  private final long admissionQuietMs;
  /** Instructions written in the open transaction. */
  private Set<Attempt> released = new HashSet<>();
  /** Instructions of the last committed transaction whose reports have not come in. */
  private Set<Attempt> awaited = new HashSet<>();
  private long lastRecordMs = Long.MIN_VALUE / 2;
  /** When the thread read the last record before the one (or the timers) being processed. */
  private long quietSinceMs = Long.MIN_VALUE / 2;
  private boolean holdsOutput;
  private boolean onAdmissionPath;

  /**
   * @param quietMs how long without a record makes the reports still awaited not worth waiting for
   * @param admissionQuietMs how long without a record makes a transaction holding admission requests ready
   */
  CommitReadiness(long quietMs, long admissionQuietMs) {
    this.quietMs = quietMs;
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
   * no report stands for what such a transaction waits on; only a quiet spell makes it ready. Under
   * load that leaves the capped path's commits to the interval: committing whenever the reports
   * were in took it from 0.042 to 0.127 commits a completion and cost it 40% of its completions/s.
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
   * The open transaction committed: its instructions are now the ones awaited. Those of earlier
   * transactions are no longer waited for.
   */
  void committed() {
    if (!holdsOutput) {
      return;
    }
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
   * one is awaited any more: all came in, or the thread had been quiet for the quiet time. One on
   * the capped path is ready only after the admission's shorter quiet time.
   */
  boolean ready(long nowMs) {
    if (!holdsOutput) {
      return false;
    }
    long quiet = nowMs - quietSinceMs;
    if (onAdmissionPath) {
      return quiet >= admissionQuietMs;
    }
    return awaited.isEmpty() || quiet >= quietMs;
  }

  /** How many of the last committed transaction's instructions are unanswered. */
  int awaited() {
    return awaited.size();
  }

  private record Attempt(String missionId, String stage, int attempt) {
  }
}
