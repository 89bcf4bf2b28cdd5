package io.groundcontrol.coordinator;

import io.groundcontrol.mission.Mission;
import io.groundcontrol.mission.Stage;
import io.groundcontrol.mission.StageSource;
import io.groundcontrol.schema.MissionHeader;
import io.groundcontrol.schema.MissionState;
import io.groundcontrol.schema.StoredStage;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Missions in the coordinator's missions store, one entry per mission header and one per stage
 * ({@link StageKeys}), so that a transition reads and writes the stages it touches and its cost
 * does not grow with the plan. A mission stored whole by an older release is read as it is and
 * written back in entries the first time it changes.
 */
public final class MissionStore {
  private static final StringSerializer PREFIX_SERIALIZER = new StringSerializer();

  private final KeyValueStore<String, SpecificRecord> store;

  MissionStore(KeyValueStore<String, SpecificRecord> store) {
    this.store = store;
  }

  /** The stored mission, its stages loaded on demand; null if none is stored. */
  Mission load(String missionId) {
    SpecificRecord value = store.get(missionId);
    if (value instanceof MissionHeader header) {
      return MissionStateCodec.fromHeader(header, new StoredStages(store, missionId));
    }
    if (value instanceof MissionState whole) {
      Mission mission = MissionStateCodec.fromStored(whole);
      mission.markAllStagesChanged();
      return mission;
    }
    return null;
  }

  /** Writes the mission's changed stages, then its header: a changelog reader sees a header after its stages. */
  void save(Mission mission) {
    for (Stage stage : mission.changedStages()) {
      store.put(StageKeys.of(mission.missionId(), stage.name()), MissionStateCodec.toStored(stage));
    }
    store.put(mission.missionId(), MissionStateCodec.toHeader(mission));
  }

  /**
   * The whole stored mission, assembled from its entries; null if none is stored. For queries and
   * tests: a transition never needs every stage.
   */
  public static MissionState assemble(ReadOnlyKeyValueStore<String, SpecificRecord> store, String missionId) {
    SpecificRecord value = store.get(missionId);
    if (value instanceof MissionState whole) {
      return whole;
    }
    if (!(value instanceof MissionHeader header)) {
      return null;
    }
    return MissionStateCodec.assemble(header, stagesOf(store, missionId));
  }

  /** Bytes the mission takes in the store's values: its header and every stage entry. */
  public static int storedBytes(ReadOnlyKeyValueStore<String, SpecificRecord> store, String missionId) {
    SpecificRecord head = store.get(missionId);
    if (head == null) {
      return 0;
    }
    int bytes = MissionStoreSerde.INSTANCE.encode(head).length;
    for (StoredStage stage : stagesOf(store, missionId)) {
      bytes += MissionStoreSerde.INSTANCE.encode(stage).length;
    }
    return bytes;
  }

  private static List<StoredStage> stagesOf(ReadOnlyKeyValueStore<String, SpecificRecord> store, String missionId) {
    List<StoredStage> stages = new ArrayList<>();
    try (KeyValueIterator<String, SpecificRecord> entries =
        store.prefixScan(StageKeys.prefix(missionId), PREFIX_SERIALIZER)) {
      entries.forEachRemaining(entry -> stages.add((StoredStage) entry.value));
    }
    return stages;
  }

  /** One mission's stage entries, read as the state machine asks for them. */
  private record StoredStages(KeyValueStore<String, SpecificRecord> store, String missionId) implements StageSource {
    @Override
    public Stage load(String name) {
      SpecificRecord value = store.get(StageKeys.of(missionId, name));
      return value instanceof StoredStage stage ? MissionStateCodec.fromStored(stage) : null;
    }

    @Override
    public List<Stage> loadAll() {
      List<Stage> all = new ArrayList<>();
      stagesOf(store, missionId).forEach(stage -> all.add(MissionStateCodec.fromStored(stage)));
      return all;
    }
  }
}
