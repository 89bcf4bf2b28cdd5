package io.groundcontrol.coordinator;

import io.groundcontrol.schema.MissionState;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The whole records a task last wrote for its missions in flight, least recently used first out. A transition reads
 * its mission back from here instead of from RocksDB through Avro, which at 256 missions in flight
 * was about a tenth of the stream thread (BENCHMARKS, 2026-12-03). The records are never changed
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

  void put(String missionId, MissionState written) {
    if (capacity > 0) {
      byId.put(missionId, written);
    }
  }

  void remove(String missionId) {
    byId.remove(missionId);
  }
}
