package io.groundcontrol.coordinator;

/**
 * Marks an input written by a paced audit replay ({@code replay inputs}). Such a replay runs a
 * mission's hours in seconds: it stamps each input its original time plus one shift that never
 * decreases, so an input whose original came long after the one before is stamped ahead of the
 * coordinator's clock on purpose. The coordinator bounds what a worker's clock can claim by when
 * it reads the input (a timeout's start, a retry's backoff, a result's age); for a marked input it
 * takes the stamp as the time it was read, as the original coordinator read the original input,
 * so the replay decides what the original did. A worker that sets the header only loses that
 * bound on its own attempts.
 */
public final class ReplayedInput {
  /** The header a paced replay sets on every input it writes; its value is not read. */
  public static final String HEADER = "groundcontrol.replayed";

  private ReplayedInput() {}
}
