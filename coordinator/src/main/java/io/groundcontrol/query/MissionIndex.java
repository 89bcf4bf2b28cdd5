package io.groundcontrol.query;

import io.groundcontrol.coordinator.CoordinatorTopology;
import io.groundcontrol.mission.MissionView;
import io.groundcontrol.schema.MissionHeader;
import io.groundcontrol.schema.MissionState;
import io.groundcontrol.schema.MissionStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.Cancellable;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The index of missions by status, plan and start time ({@link IndexKeys}), kept next to the
 * missions store in the same task and changed in the same step, so a list is a range scan (or a
 * merge of one per status) and never a scan of all missions. Written only when a mission is saved,
 * and only when its status changed: the saver says which status the mission had, so a transition
 * that keeps the status costs nothing here, a mission's start two writes and its end four.
 *
 * <p>The index has no changelog: everything in it follows from the missions store, so each time
 * the task starts on an instance ({@link #of}) it clears what an earlier run of the task left in
 * the local store (stale if the task ran elsewhere since) and lists the stored missions again, a
 * batch per tick, while new transitions keep it up to date. Changelogged, its 6 writes per
 * mission were 6 of the 27 records a three-stage mission sends to the broker; without them 256
 * missions in flight complete 8-12% more stages a second (BENCHMARKS, 2026-12-03), and a restart
 * with 100,000 missions stored lists them again in about a second. Until the listing is done
 * {@link #isComplete} says so and a list of the partition is refused rather than incomplete.
 */
public final class MissionIndex {
  /** The index store's name; a store of the missions sub-topology. */
  public static final String STORE = "mission-index";

  /** Stored missions the index has not seen yet are listed this many per tick. */
  private static final int BACKFILL_PER_TICK = 10_000;
  private static final Duration BACKFILL_TICK = Duration.ofMillis(100);
  /** Where the backfill stands: the last missions-store key read, or {@link #BACKFILLED}. */
  private static final String BACKFILL_KEY = "v" + IndexKeys.SEP + "backfill";
  private static final String BACKFILLED = "done";

  private final KeyValueStore<String, String> store;

  MissionIndex(KeyValueStore<String, String> store) {
    this.store = store;
  }

  /**
   * The index of the processor whose {@code context} has the {@link #STORE} and the missions store
   * connected, called as the task starts here: the local index is cleared, and the stored missions
   * are listed again by a punctuation, a batch at a time (a fresh store finishes at the first tick).
   */
  public static MissionIndex of(ProcessorContext<?, ?> context) {
    MissionIndex index = new MissionIndex(context.getStateStore(STORE));
    index.clear();
    KeyValueStore<String, SpecificRecord> missions = context.getStateStore(CoordinatorTopology.MISSION_STORE);
    Cancellable[] backfill = new Cancellable[1];
    backfill[0] = context.schedule(BACKFILL_TICK, PunctuationType.WALL_CLOCK_TIME, now -> {
      if (index.backfill(missions, BACKFILL_PER_TICK)) {
        backfill[0].cancel();
      }
    });
    return index;
  }

  /**
   * Lists up to {@code batch} stored missions the index has not seen, from where the last call
   * stopped; true once every stored mission is listed.
   */
  boolean backfill(KeyValueStore<String, SpecificRecord> missions, int batch) {
    String from = store.get(BACKFILL_KEY);
    if (BACKFILLED.equals(from)) {
      return true;
    }
    int read = 0;
    String last = null;
    try (KeyValueIterator<String, SpecificRecord> entries =
        from == null ? missions.all() : missions.range(from + IndexKeys.SEP, String.valueOf(IndexKeys.END))) {
      while (entries.hasNext() && read < batch) {
        KeyValue<String, SpecificRecord> entry = entries.next();
        last = entry.key;
        read++;
        if (entry.value instanceof MissionHeader header && !listed(entry.key, header.getStartedAt(), header.getStatus())) {
          list(entry.key, header.getPlanName(), header.getStartedAt(), header.getStatus());
        } else if (entry.value instanceof MissionState whole && !listed(entry.key, whole.getStartedAt(), whole.getStatus())) {
          list(entry.key, whole.getPlanName(), whole.getStartedAt(), whole.getStatus());
        }
      }
      boolean done = !entries.hasNext();
      store.put(BACKFILL_KEY, done ? BACKFILLED : last);
      return done;
    }
  }

  /** Deletes every entry, the backfill's position with them. */
  void clear() {
    List<String> batch = new ArrayList<>();
    do {
      batch.clear();
      try (KeyValueIterator<String, String> entries = store.all()) {
        while (entries.hasNext() && batch.size() < BACKFILL_PER_TICK) {
          batch.add(entries.next().key);
        }
      }
      batch.forEach(store::delete);
    } while (!batch.isEmpty());
  }

  /**
   * Whether {@code index} (a partition's {@link #STORE}) lists every mission of its partition:
   * false while a task that has just started here lists the stored missions again.
   */
  public static boolean isComplete(ReadOnlyKeyValueStore<String, String> index) {
    return BACKFILLED.equals(index.get(BACKFILL_KEY));
  }

  private boolean listed(String id, Instant startedAt, MissionStatus status) {
    return store.get(IndexKeys.status(status, startedAt, id)) != null;
  }

  private void list(String id, String plan, Instant startedAt, MissionStatus status) {
    store.put(IndexKeys.status(status, startedAt, id), "");
    store.put(IndexKeys.statusAndPlan(status, plan, startedAt, id), "");
  }

  /** The store to add to the processor that saves missions: persistent, without a changelog. */
  public static StoreBuilder<KeyValueStore<String, String>> storeBuilder() {
    return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE), Serdes.String(), Serdes.String())
        .withLoggingDisabled();
  }

  /**
   * Lists {@code mission} under its current status; call after every save of a mission, with the
   * status it had when loaded ({@code null} for a new one). The missions store and this index
   * change in the same step of the task, so that is the status it is listed under. (A mission the
   * backfill has not reached yet is listed by this move, and the backfill then finds it listed.)
   */
  public void update(MissionStatus before, MissionView mission) {
    MissionStatus status = mission.status();
    if (status == before) {
      return;
    }
    String id = mission.missionId();
    // Listed under the new status before unlisted from the old, so that a list opening the status
    // ranges one after another while this runs finds the mission in at least one (LocalStores.page).
    list(id, mission.planName(), mission.startedAt(), status);
    if (before != null) {
      store.delete(IndexKeys.status(before, mission.startedAt(), id));
      store.delete(IndexKeys.statusAndPlan(before, mission.planName(), mission.startedAt(), id));
    }
  }

  /** A mission as the index lists it: its key (a position to go on from) and its id. */
  public record Listed(String key, String missionId) {}

  /**
   * Up to {@code max} missions listed under {@code status} that started at or before {@code
   * cutoff}, the latest start first, from just after {@code after} (a key an earlier call
   * returned; null: from the first).
   */
  public List<Listed> startedBy(MissionStatus status, Instant cutoff, String after, int max) {
    String first = IndexKeys.statusPrefix(status) + IndexKeys.inverted(cutoff);
    String from = after != null && after.compareTo(first) >= 0 ? after + IndexKeys.SEP : first;
    List<Listed> listed = new ArrayList<>();
    try (KeyValueIterator<String, String> entries =
        store.range(from, IndexKeys.statusPrefix(status) + IndexKeys.END)) {
      while (entries.hasNext() && listed.size() < max) {
        String key = entries.next().key;
        listed.add(new Listed(key, IndexKeys.missionIdOf(key)));
      }
    }
    return listed;
  }

  /** Unlists a forgotten mission from where {@code status}, the status it ended with, listed it. */
  public void unlist(String missionId, String planName, Instant startedAt, MissionStatus status) {
    store.delete(IndexKeys.status(status, startedAt, missionId));
    store.delete(IndexKeys.statusAndPlan(status, planName, startedAt, missionId));
  }
}
