package io.groundcontrol.coordinator;

import io.groundcontrol.schema.MissionState;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The whole records a task last wrote for its missions in flight, least recently used first out. A
 * transition reads its mission back from here instead of from RocksDB through Avro: about 3% of the
 * stream thread and 10% of the allocation per record at 256 missions in flight (BENCHMARKS,
 * 2026-12-03, 08:06 session). The records are never changed
 * once written ({@link MissionStateCodec#fromStored(MissionState)} copies what a mission may change),
 * so handing the same one out again is the store's answer without its decoding.
 */
final class RecentMissions {
  /**
   * Far more than a task's missions in flight at the loads measured (about 85 at 256 in flight);
   * a miss only costs the store read. Not more: what is kept here survives young collections, and
   * copying it lengthens every pause (4,096 records a task, ended missions included, cost 4% at 64
   * in flight).
   */
  static final int DEFAULT_CAPACITY = 2_048;

  private final int capacity;
  private final Map<String, MissionState> byId;

  RecentMissions(int capacity) {
    if (capacity < 0) {
      throw new IllegalArgumentException("Expected a capacity of 0 or more, but got " + capacity);
    }
    this.capacity = capacity;
    this.byId = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, MissionState> eldest) {
        return size() > RecentMissions.this.capacity;
      }
    };
  }

  /** The record last written for the mission, if still kept; null otherwise. */
  MissionState get(String missionId) {
    return byId.get(missionId);
  }

  /** Keeps {@code written} as the mission's record; with capacity 0 it is dropped again at once. */
  void put(String missionId, MissionState written) {
    byId.put(missionId, written);
  }

  void remove(String missionId) {
    byId.remove(missionId);
  }
}
