package io.groundcontrol.coordinator;

import io.groundcontrol.schema.MissionHeader;
import io.groundcontrol.schema.StoredStage;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The headers and stage entries a task last wrote for its missions in flight that are stored in
 * entries (plans of more than {@link MissionStore#WHOLE_MAX_STAGES} stages), so that a transition
 * reads its header and the stages the last transitions wrote without RocksDB or Avro, as
 * {@link RecentMissions} does for a mission stored whole. Pipelines of 20 and more stages are
 * stored this way, and a linear transition reads its header, the stage it finishes (written by the
 * transition before) and the stage it dispatches (implicit, no entry).
 *
 * <p>A mission whose every entry this instance wrote (it started here, or was rewritten in entries
 * here) and still keeps is <em>complete</em>: a stage with no entry kept has none in the store
 * either, so the stage it dispatches is known implicit without a store read. Each mission keeps at
 * most {@link #DEFAULT_STAGES_PER_MISSION} entries, the latest written; one dropped makes it
 * incomplete, and a stage not kept is read from the store. The records are never changed once
 * written ({@link MissionStateCodec#fromStored} copies what a mission may change).
 */
final class RecentEntries {
  /** Stages of a pipeline of up to this many stages all stay kept while it runs. */
  static final int DEFAULT_STAGES_PER_MISSION = 64;

  /**
   * Stage entries kept over all missions, least recently used mission first out: 128 missions of
   * 64 written stages, or many more of the usual few. Not more, since what is kept here survives
   * young collections and lengthens every pause (see {@link RecentMissions#DEFAULT_CAPACITY}).
   */
  static final int DEFAULT_CAPACITY = 8_192;

  private final int stagesPerMission;
  private final int capacity;
  private final Map<String, Kept> byId = new LinkedHashMap<>(16, 0.75f, true);
  private int stagesKept;

  RecentEntries() {
    this(DEFAULT_STAGES_PER_MISSION, DEFAULT_CAPACITY);
  }

  /**
   * @param stagesPerMission the most entries kept for one mission
   * @param capacity the most entries kept over all missions; 0 keeps nothing
   */
  RecentEntries(int stagesPerMission, int capacity) {
    if (stagesPerMission < 1 || capacity < 0) {
      throw new IllegalArgumentException("Expected at least 1 stage per mission and a capacity of 0 or more, but got "
          + stagesPerMission + " and " + capacity);
    }
    this.stagesPerMission = stagesPerMission;
    this.capacity = capacity;
  }

  /** What is kept of the mission, if anything; null otherwise. */
  Kept get(String missionId) {
    return byId.get(missionId);
  }

  /**
   * The mission's header and {@code stages} were written, in that transaction.
   *
   * @param everyEntry whether {@code stages} are all the entries the mission has in the store: a
   *     new mission, or one rewritten in entries
   */
  void written(String missionId, MissionHeader header, List<StoredStage> stages, boolean everyEntry) {
    if (capacity == 0) {
      return;
    }
    Kept kept = byId.get(missionId);
    if (kept == null || everyEntry) {
      remove(missionId);
      kept = new Kept(everyEntry);
      byId.put(missionId, kept);
    }
    kept.header = header;
    for (StoredStage stage : stages) {
      // Removed first, so that the latest written is last in line to be dropped.
      if (kept.stages.remove(stage.getName()) != null) {
        stagesKept--;
      }
      kept.stages.put(stage.getName(), stage);
      stagesKept++;
    }
    Iterator<StoredStage> oldest = kept.stages.values().iterator();
    while (kept.stages.size() > stagesPerMission) {
      oldest.next();
      oldest.remove();
      stagesKept--;
      kept.complete = false;
    }
    Iterator<Kept> leastRecent = byId.values().iterator();
    while (stagesKept > capacity && leastRecent.hasNext()) {
      Kept evicted = leastRecent.next();
      if (evicted != kept) {
        leastRecent.remove();
        stagesKept -= evicted.stages.size();
      }
    }
  }

  /** Forgets the mission: it ended, was forgotten, or is stored whole. */
  void remove(String missionId) {
    Kept kept = byId.remove(missionId);
    if (kept != null) {
      stagesKept -= kept.stages.size();
    }
  }

  /** Entries kept over all missions; for tests. */
  int stagesKept() {
    return stagesKept;
  }

  /** What is kept of one mission: its header as last written, and its latest written stage entries. */
  static final class Kept {
    private final Map<String, StoredStage> stages = new LinkedHashMap<>();
    private MissionHeader header;
    private boolean complete;

    private Kept(boolean complete) {
      this.complete = complete;
    }

    MissionHeader header() {
      return header;
    }

    /** The stage's entry as last written, if kept; null otherwise. */
    StoredStage stage(String name) {
      return stages.get(name);
    }

    /** Whether a stage with no entry kept here has no entry in the store either. */
    boolean complete() {
      return complete;
    }
  }
}
