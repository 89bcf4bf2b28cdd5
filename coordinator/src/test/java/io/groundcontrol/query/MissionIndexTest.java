package io.groundcontrol.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.coordinator.CoordinatorTopology;
import io.groundcontrol.coordinator.MissionStoreSerde;
import io.groundcontrol.mission.MissionView;
import io.groundcontrol.schema.MissionHeader;
import io.groundcontrol.schema.MissionStatus;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The mission index has no changelog, so a task starting on an instance must not trust what its
 * local index holds: an earlier run of the task here may have been followed by runs elsewhere.
 */
class MissionIndexTest {
  private static final Instant T0 = Instant.parse("2026-12-03T10:00:00Z");

  private KeyValueStore<String, String> indexStore;
  private KeyValueStore<String, SpecificRecord> missions;

  @BeforeEach
  void openStores() {
    MockProcessorContext<Object, Object> context = new MockProcessorContext<>();
    indexStore = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(MissionIndex.STORE), Serdes.String(), Serdes.String())
        .withLoggingDisabled().build();
    indexStore.init(context.getStateStoreContext(), indexStore);
    missions = Stores.keyValueStoreBuilder(
            Stores.inMemoryKeyValueStore(CoordinatorTopology.MISSION_STORE), Serdes.String(), MissionStoreSerde.INSTANCE)
        .withLoggingDisabled().build();
    missions.init(context.getStateStoreContext(), missions);
  }

  @Test
  void aTaskStartingHereClearsWhatAnEarlierRunLeftAndListsTheStoredMissionsAgain() {
    missions.put("m-1", header("m-1", "a", MissionStatus.RUNNING, T0));
    MockProcessorContext<Object, Object> first = startTask();
    punctuate(first);
    assertThat(MissionIndex.isComplete(indexStore)).isTrue();
    // The task then ran on another instance: the missions store restored from its changelog has
    // m-1 finished and m-2 started, and this instance's index still lists m-1 as running.
    missions.put("m-1", header("m-1", "a", MissionStatus.FINISHED, T0));
    missions.put("m-2", header("m-2", "b", MissionStatus.RUNNING, T0.plusSeconds(1)));

    MockProcessorContext<Object, Object> again = startTask();

    assertThat(entries()).isEmpty();
    assertThat(MissionIndex.isComplete(indexStore)).isFalse();
    punctuate(again);
    assertThat(entries()).containsExactlyInAnyOrder(
        IndexKeys.status(MissionStatus.FINISHED, T0, "m-1"),
        IndexKeys.statusAndPlan(MissionStatus.FINISHED, "a", T0, "m-1"),
        IndexKeys.status(MissionStatus.RUNNING, T0.plusSeconds(1), "m-2"),
        IndexKeys.statusAndPlan(MissionStatus.RUNNING, "b", T0.plusSeconds(1), "m-2"));
    assertThat(MissionIndex.isComplete(indexStore)).isTrue();
  }

  @Test
  void aMoveListsTheNewStatusBeforeUnlistingTheOld() {
    List<String> writes = new ArrayList<>();
    @SuppressWarnings("unchecked")
    KeyValueStore<String, String> recording = (KeyValueStore<String, String>) Proxy.newProxyInstance(
        getClass().getClassLoader(), new Class<?>[] {KeyValueStore.class}, (proxy, method, args) -> {
          if (method.getName().equals("put") || method.getName().equals("delete")) {
            writes.add((method.getName().equals("put") ? "+" : "-") + args[0]);
          }
          return method.invoke(indexStore, args);
        });

    new MissionIndex(recording).update(MissionStatus.RUNNING, mission("m-1", "a", MissionStatus.FINISHED, T0));

    assertThat(writes).containsExactly(
        "+" + IndexKeys.status(MissionStatus.FINISHED, T0, "m-1"),
        "+" + IndexKeys.statusAndPlan(MissionStatus.FINISHED, "a", T0, "m-1"),
        "-" + IndexKeys.status(MissionStatus.RUNNING, T0, "m-1"),
        "-" + IndexKeys.statusAndPlan(MissionStatus.RUNNING, "a", T0, "m-1"));
  }

  /** Starts the missions' task with the stores as they are: a processor's init. */
  private MockProcessorContext<Object, Object> startTask() {
    MockProcessorContext<Object, Object> context = new MockProcessorContext<>();
    context.addStateStore(indexStore);
    context.addStateStore(missions);
    MissionIndex.of(context);
    return context;
  }

  private static void punctuate(MockProcessorContext<Object, Object> context) {
    assertThat(context.scheduledPunctuators()).hasSize(1);
    context.scheduledPunctuators().get(0).getPunctuator().punctuate(T0.toEpochMilli());
  }

  /** The index's mission entries (its backfill position left out). */
  private List<String> entries() {
    List<String> keys = new ArrayList<>();
    try (KeyValueIterator<String, String> all = indexStore.all()) {
      all.forEachRemaining(entry -> keys.add(entry.key));
    }
    keys.removeIf(key -> !key.startsWith("s"));
    return keys;
  }

  private static MissionHeader header(String id, String plan, MissionStatus status, Instant startedAt) {
    return new MissionHeader(id, plan, "v1", status, Map.of(), 1L, startedAt, startedAt, null, Map.of(), false, 0, List.of(), 0);
  }

  private static MissionView mission(String id, String plan, MissionStatus status, Instant startedAt) {
    return (MissionView) Proxy.newProxyInstance(MissionIndexTest.class.getClassLoader(), new Class<?>[] {MissionView.class},
        (proxy, method, args) -> switch (method.getName()) {
          case "missionId" -> id;
          case "planName" -> plan;
          case "status" -> status;
          case "startedAt" -> startedAt;
          default -> throw new UnsupportedOperationException(method.getName());
        });
  }
}
