package io.groundcontrol.query;

import io.groundcontrol.mission.MissionView;
import io.groundcontrol.schema.MissionStatus;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.ProcessingContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The index of missions by status, plan and start time ({@link IndexKeys}), kept next to the
 * missions store in the same task and changed in the same transaction, so a list is a range scan
 * and never a scan of all missions. Written only when a mission is saved, and only when its status
 * changed: a transition that keeps the status costs one read.
 */
public final class MissionIndex {
  /** The index store's name; a store of the missions sub-topology. */
  public static final String STORE = "mission-index";

  private final KeyValueStore<String, String> store;

  MissionIndex(KeyValueStore<String, String> store) {
    this.store = store;
  }

  /** The index of the processor whose {@code context} has the {@link #STORE} connected. */
  public static MissionIndex of(ProcessingContext context) {
    return new MissionIndex(context.getStateStore(STORE));
  }

  /** The store to add to the processor that saves missions. */
  public static StoreBuilder<KeyValueStore<String, String>> storeBuilder() {
    return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE), Serdes.String(), Serdes.String());
  }

  /** Lists {@code mission} under its current status; call after every save of a mission. */
  public void update(MissionView mission) {
    String id = mission.missionId();
    String listedKey = IndexKeys.listedStatus(id);
    String listed = store.get(listedKey);
    MissionStatus status = mission.status();
    if (status.name().equals(listed)) {
      return;
    }
    if (listed == null) {
      store.put(IndexKeys.all(mission.startedAt(), id), "");
      store.put(IndexKeys.plan(mission.planName(), mission.startedAt(), id), "");
    } else {
      MissionStatus before = MissionStatus.valueOf(listed);
      store.delete(IndexKeys.status(before, mission.startedAt(), id));
      store.delete(IndexKeys.statusAndPlan(before, mission.planName(), mission.startedAt(), id));
    }
    store.put(IndexKeys.status(status, mission.startedAt(), id), "");
    store.put(IndexKeys.statusAndPlan(status, mission.planName(), mission.startedAt(), id), "");
    store.put(listedKey, status.name());
  }
}
