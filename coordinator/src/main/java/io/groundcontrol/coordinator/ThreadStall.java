package io.groundcontrol.coordinator;

/**
 * A coordinator whose stream threads keep failing: replaced {@code replacedInARow} times in a row
 * with no commit of any stream thread in between. A fresh thread resumes from the last commit, so a
 * fault that outlasts a few of them (a cluster that refuses every write, a record that fails every
 * try) leaves the instance taking no work while its streams look RUNNING.
 *
 * @param replacedInARow stream threads replaced in a row without a commit in between
 * @param lastCause the last failure, in one line
 */
public record ThreadStall(int replacedInARow, String lastCause) {
  /** Replacements in a row after which the instance is not ready: one or two are blips a fresh thread gets past. */
  public static final int NOT_READY_AFTER = 3;

  /**
   * Replacements in a row after which the instance is not live either, and a probe restarts it: a
   * restart runs the start's checks and repairs (topics created again, their layout and the cluster's
   * access checked, the stored plans' instruction topics), which a thread replacement skips.
   */
  public static final int NOT_LIVE_AFTER = 10;

  /** The one line {@code /health/ready} (and {@code /health/live}, past {@link #NOT_LIVE_AFTER}) answers with. */
  public String reason() {
    return "the stream thread was replaced " + replacedInARow + " times in a row without a commit in between; the "
        + "last cause: " + lastCause;
  }

  /** Whether the run is long enough for a restart of the process to be due. */
  public boolean restartDue() {
    return replacedInARow >= NOT_LIVE_AFTER;
  }
}
