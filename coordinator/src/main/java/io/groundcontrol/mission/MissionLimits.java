package io.groundcontrol.mission;

import java.time.Duration;
import java.util.Objects;

/**
 * Bounds the coordinator holds missions, and the results they leave for reuse, to.
 *
 * @param maxOutputBytes the most bytes one stage's outputs may take, names and values counted as
 *     UTF-8, at most {@link #MAX_MAX_OUTPUT_BYTES}; a finished report beyond it fails the stage,
 *     not retryable. Outputs travel in events
 *     and stage entries, so large results belong elsewhere, passed on as URIs.
 * @param retention how long an ended mission stays in the coordinator's stores after its last
 *     change; then it is forgotten (its history stays in the log). {@link Duration#ZERO}: kept for ever.
 * @param resultsRetention how long the results index keeps a key's newest result at least; longer
 *     when a latest plan reuses results up to an older age. {@link Duration#ZERO}: kept for ever.
 */
public record MissionLimits(int maxOutputBytes, Duration retention, Duration resultsRetention) {
  /** 64 KiB of outputs per stage. */
  public static final int DEFAULT_MAX_OUTPUT_BYTES = 64 * 1024;
  /**
   * The highest outputs limit: a stage's finished event and its entry in the missions store, each
   * one Kafka record holding the outputs and more, stay under the broker's default 1 MB. A record
   * the coordinator cannot write would stop its stream thread, not one mission. 768 KiB leaves a
   * quarter of the limit for the rest of the record, and still takes 100,000 ids as one JSON list.
   */
  public static final int MAX_MAX_OUTPUT_BYTES = 768 * 1024;
  /** Ended missions are kept a week, as long as Kafka keeps a topic's records by default. */
  public static final Duration DEFAULT_RETENTION = Duration.ofDays(7);

  /**
   * A week, as ended missions ({@link #DEFAULT_RETENTION}). Results are kept at least as long as the
   * longest {@code max_age} of the latest plans anyway, which the coordinator knows; the week covers
   * what it cannot know: a mission still running on an older version of its plan, with a longer
   * {@code max_age}, and a plan applied later that reuses older results.
   */
  public static final Duration DEFAULT_RESULTS_RETENTION = Duration.ofDays(7);

  /** The defaults. */
  public static final MissionLimits DEFAULTS =
      new MissionLimits(DEFAULT_MAX_OUTPUT_BYTES, DEFAULT_RETENTION, DEFAULT_RESULTS_RETENTION);

  /** Checks the values. */
  public MissionLimits {
    if (maxOutputBytes < 1 || maxOutputBytes > MAX_MAX_OUTPUT_BYTES) {
      throw new IllegalArgumentException("Expected an outputs limit of 1 to " + MAX_MAX_OUTPUT_BYTES
          + " bytes, but got " + maxOutputBytes);
    }
    Objects.requireNonNull(retention, "retention");
    if (retention.isNegative()) {
      throw new IllegalArgumentException("Expected a retention of zero (for ever) or more, but got " + retention);
    }
    Objects.requireNonNull(resultsRetention, "resultsRetention");
    if (resultsRetention.isNegative()) {
      throw new IllegalArgumentException(
          "Expected a results retention of zero (for ever) or more, but got " + resultsRetention);
    }
  }

  /** These limits with outputs of up to {@code bytes} per stage. */
  public MissionLimits withMaxOutputBytes(int bytes) {
    return new MissionLimits(bytes, retention, resultsRetention);
  }

  /** These limits with ended missions kept for {@code other} ({@link Duration#ZERO}: for ever). */
  public MissionLimits withRetention(Duration other) {
    return new MissionLimits(maxOutputBytes, other, resultsRetention);
  }

  /** These limits with results kept for at least {@code other} ({@link Duration#ZERO}: for ever). */
  public MissionLimits withResultsRetention(Duration other) {
    return new MissionLimits(maxOutputBytes, retention, other);
  }
}
