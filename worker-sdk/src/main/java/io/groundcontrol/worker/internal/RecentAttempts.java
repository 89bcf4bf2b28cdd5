package io.groundcontrol.worker.internal;

import java.util.LinkedHashMap;
import java.util.Map;

/** The attempts whose final report was acknowledged most recently, forgetting the oldest. Poll thread only. */
final class RecentAttempts {
  private final Map<AttemptKey, Boolean> keys;

  RecentAttempts(int capacity) {
    this.keys = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<AttemptKey, Boolean> eldest) {
        return size() > capacity;
      }
    };
  }

  void add(AttemptKey key) {
    keys.put(key, Boolean.TRUE);
  }

  /** Whether {@code key} is remembered; counts as a use, so it is forgotten later. */
  boolean contains(AttemptKey key) {
    return keys.get(key) != null;
  }

  int size() {
    return keys.size();
  }
}
