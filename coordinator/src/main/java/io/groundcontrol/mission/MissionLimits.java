package io.groundcontrol.mission;

/**
 * Bounds the coordinator holds missions to.
 *
 * @param maxOutputBytes the most bytes one stage's outputs may take, names and values counted as
 *     UTF-8; a finished report beyond it fails the stage, not retryable. Outputs travel in events
 *     and stage entries, so large results belong elsewhere, passed on as URIs.
 */
public record MissionLimits(int maxOutputBytes) {
  /** 64 KiB of outputs per stage. */
  public static final int DEFAULT_MAX_OUTPUT_BYTES = 64 * 1024;

  /** The defaults. */
  public static final MissionLimits DEFAULTS = new MissionLimits(DEFAULT_MAX_OUTPUT_BYTES);

  /** Checks the values. */
  public MissionLimits {
    if (maxOutputBytes < 1) {
      throw new IllegalArgumentException("Expected a positive outputs limit in bytes, but got " + maxOutputBytes);
    }
  }
}
