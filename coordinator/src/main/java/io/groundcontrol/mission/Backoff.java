package io.groundcontrol.mission;

import io.groundcontrol.schema.RetryPolicy;
import java.time.Duration;
import java.util.SplittableRandom;

/**
 * Delays between attempts: exponential, capped, spread by jitter so that many missions failing
 * together do not retry together. The jitter is drawn from a seed made of the mission, stage and
 * attempt, so deciding twice gives the same delay.
 */
final class Backoff {
  private Backoff() {}

  /** The delay before attempt {@code failedAttempt + 1}. */
  static Duration before(RetryPolicy policy, int failedAttempt, String missionId, String stage) {
    double base = policy.getInitialBackoffMs() * Math.pow(policy.getBackoffMultiplier(), failedAttempt - 1);
    double capped = Math.min(base, policy.getMaxBackoffMs());
    long seed = ((long) missionId.hashCode() << 32) ^ (stage.hashCode() * 31L + failedAttempt);
    double spread = policy.getJitter() * (2 * new SplittableRandom(seed).nextDouble() - 1);
    return Duration.ofMillis(Math.max(0, Math.round(capped * (1 + spread))));
  }
}
