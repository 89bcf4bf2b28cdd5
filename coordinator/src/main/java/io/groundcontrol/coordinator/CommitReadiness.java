package io.groundcontrol.coordinator;

import java.util.HashSet;
import java.util.Set;

/**
 * Whether a stream thread's open transaction is worth committing now, or whether an input that
 * would join it is about to arrive: a report on an instruction the last commit released, lately.
 * Plain bookkeeping with no Kafka types; {@link CommitWhenDrained} tells it what was written, what
 * was answered and when a commit happened.
 *
 * <p>The reports on a commit's instructions are awaited only within the reply window of their
 * release. Past it they are not expected soon (a stage that does real work, a worker gone) and
 * nothing holds the next commit back, so a mission whose stages take seconds still hands off at
 * once; while they are awaited, commits are at least the time of a worker's round trip apart.
 */
final class CommitReadiness {
  private final long replyWindowMs;
  /** Instructions written in the open transaction. */
  private Set<Attempt> released = new HashSet<>();
  /** Instructions of the last committed transaction whose reports have not come in. */
  private Set<Attempt> awaited = new HashSet<>();
  private long lastReleaseMs;
  /** When the last committed transaction released its last instruction. */
  private long awaitedSinceMs;
  private boolean holdsOutput;

  /** @param replyWindowMs how long after their release the reports on a commit's instructions are awaited */
  CommitReadiness(long replyWindowMs) {
    this.replyWindowMs = replyWindowMs;
  }

  /** An instruction to run {@code attempt} of {@code stage} was written in the open transaction at {@code nowMs}. */
  void instructed(String missionId, String stage, int attempt, long nowMs) {
    released.add(new Attempt(missionId, stage, attempt));
    lastReleaseMs = nowMs;
    holdsOutput = true;
  }

  /** Other output was written in the open transaction: events, or records for other sub-topologies. */
  void outputWritten() {
    holdsOutput = true;
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
    awaitedSinceMs = lastReleaseMs;
    holdsOutput = false;
  }

  /** Whether the open transaction holds output. */
  boolean holdsOutput() {
    return holdsOutput;
  }

  /**
   * Whether the open transaction holds output and, at {@code nowMs}, no report on the last committed
   * one is awaited any more: all came in, or the reply window since their release is over.
   */
  boolean ready(long nowMs) {
    return holdsOutput && (awaited.isEmpty() || nowMs - awaitedSinceMs >= replyWindowMs);
  }

  /** How many of the last committed transaction's instructions are unanswered. */
  int awaited() {
    return awaited.size();
  }

  private record Attempt(String missionId, String stage, int attempt) {
  }
}
