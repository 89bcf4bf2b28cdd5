package io.groundcontrol.worker.internal;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The attempts whose final report was acknowledged most recently, with when each was dispatched,
 * forgetting the oldest. Poll thread only.
 */
final class RecentAttempts {
  private final Map<AttemptKey, Instant> keys;

  RecentAttempts(int capacity) {
    this.keys = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<AttemptKey, Instant> eldest) {
        return size() > capacity;
      }
    };
  }

  void add(AttemptKey key, Instant dispatchedAt) {
    keys.put(key, dispatchedAt);
  }

  /**
   * Whether {@code key} is remembered from the same dispatch, as a redelivered RUN is; counts as a
   * use, so it is forgotten later. A later dispatch under the same key is a new mission under an
   * id the coordinator's retention forgot, whose attempt must run.
   */
  boolean contains(AttemptKey key, Instant dispatchedAt) {
    return dispatchedAt.equals(keys.get(key));
  }

  int size() {
    return keys.size();
  }
}
