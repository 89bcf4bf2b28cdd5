package io.groundcontrol.coordinator;

import io.groundcontrol.mission.Timers;
import java.time.Instant;
import java.util.Optional;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * When the worker of each running attempt last gave a sign of life, and how often it promised to.
 * Heartbeats land here, not in the mission: they are frequent, change no decision until they stop,
 * and would flood the audit log. The liveness timer reads this store when due and re-arms itself
 * while heartbeats keep coming.
 */
final class Liveness {
  private final KeyValueStore<String, String> store;

  Liveness(KeyValueStore<String, String> store) {
    this.store = store;
  }

  /**
   * Starts watching an attempt whose worker heartbeats every {@code intervalMs}, from {@code at}.
   * All times here are the coordinator's, as the deadline is compared with its own.
   */
  void watch(String missionId, String stage, int attempt, Instant at, long intervalMs) {
    store.put(key(missionId, stage, attempt), at.toEpochMilli() + ":" + intervalMs);
  }

  /**
   * Records a heartbeat read at {@code at}, on the coordinator's clock, if the attempt is watched at
   * the interval the heartbeat announces ({@code intervalMs}, null for none); returns whether it
   * was. False leaves the heartbeat to the mission to decide: the first of an attempt not started,
   * or one that changes the interval, which restarts the watch or ends it.
   */
  boolean heartbeat(String missionId, String stage, int attempt, Instant at, Long intervalMs) {
    String key = key(missionId, stage, attempt);
    String value = store.get(key);
    if (value == null || intervalMs == null
        || intervalMs != Long.parseLong(value.substring(value.indexOf(':') + 1))) {
      return false;
    }
    store.put(key, at.toEpochMilli() + ":" + intervalMs);
    return true;
  }

  /** When the worker's silence becomes too long, counting from its last sign of life; empty if not watched. */
  Optional<Instant> deadline(String missionId, String stage, int attempt) {
    String value = store.get(key(missionId, stage, attempt));
    if (value == null) {
      return Optional.empty();
    }
    int colon = value.indexOf(':');
    Instant lastSeen = Instant.ofEpochMilli(Long.parseLong(value.substring(0, colon)));
    return Optional.of(lastSeen.plus(Timers.livenessWindow(Long.parseLong(value.substring(colon + 1)))));
  }

  /**
   * Stops watching an attempt. Most attempts were never watched (a quick stage sends no started
   * report): a delete would still write a tombstone to the changelog, so look first.
   */
  void forget(String missionId, String stage, int attempt) {
    String key = key(missionId, stage, attempt);
    if (store.get(key) != null) {
      store.delete(key);
    }
  }

  private static String key(String missionId, String stage, int attempt) {
    return missionId + "|" + stage + "|" + attempt;
  }
}
