package io.groundcontrol.coordinator;

import io.groundcontrol.mission.Mission;
import io.groundcontrol.mission.MissionPlan;
import io.groundcontrol.mission.PlanVersions;
import io.groundcontrol.mission.Stage;
import io.groundcontrol.mission.StageInstance;
import io.groundcontrol.mission.StageSource;
import io.groundcontrol.schema.MissionHeader;
import io.groundcontrol.schema.MissionState;
import io.groundcontrol.schema.StageStatus;
import io.groundcontrol.schema.StoredStage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Missions in the coordinator's missions store, in one of two layouts under the mission id.
 *
 * <p>A mission of at most {@link #WHOLE_MAX_STAGES} stages (fan-out chunks counted) and at most
 * {@link WholeSize#MAX_BYTES} bytes is one {@link MissionState} record, rewritten whole at each
 * transition: one record to send, encode and restore per transition instead of a header and every
 * stage it touched (a 3-stage mission's store records fall from 10 to 4; BENCHMARKS, 2026-12-03).
 *
 * <p>A larger one is a header and an entry per stage ({@link StageKeys}), so that a transition
 * reads and writes the stages it touches and its cost does not grow with the plan. A stage still
 * {@linkplain Stage#isAsStarted as the start left it} has no entry until it first changes: a start
 * writes its header and the stages it dispatches, not every stage of the plan, and a reader gives
 * back the missing stages of the mission's plan version {@linkplain Stage#asStarted as started}. A
 * mission stored whole that grows past either limit (its fan-out's chunks, or its outputs and errors)
 * is written in entries from then on, every stage, then the header; a mission in entries stays in
 * entries.
 *
 * <p>The header also holds up to {@link #HEADER_MAX_STAGES_OUT} plan stages out (dispatched,
 * running, queued, awaiting a retry or a result; not chunks) in place of their entries, and a
 * stage it holds wins over any entry of that name. The header is written at every transition
 * anyway, so a linear transition writes two records, the stage it finished and the header holding
 * the one it dispatched, where it wrote three; a stage keeps its place there until it changes to
 * a status not out, and only then gets its entry.
 *
 * <p>The whole records this instance last wrote for missions not ended are also kept decoded, so
 * that the next transition of a mission in flight reads neither RocksDB nor Avro
 * ({@link RecentMissions}), and so are the headers and latest stage entries of those in entries
 * ({@link RecentEntries}); an ended mission is seldom read again by a transition. Only this
 * instance writes its task's store, and whenever Kafka Streams wipes or restores the store (an
 * aborted transaction, a task moved or revived) it initialises the processor again, which makes a
 * new instance with nothing kept.
 */
public final class MissionStore {
  /** The most stages (chunks included) of a mission stored whole rather than in entries. */
  public static final int WHOLE_MAX_STAGES = 16;

  /**
   * The most stages out a header holds rather than their entries. A linear plan has one out at a
   * time, a few parallel branches a few; past that, a header rewritten at every transition would
   * carry more than the entries it saves.
   */
  static final int HEADER_MAX_STAGES_OUT = 4;

  /** Stages out: dispatched, running, queued for a slot, awaiting a retry or a result. */
  private static final Set<StageStatus> STAGES_OUT = EnumSet.of(StageStatus.DISPATCHED, StageStatus.RUNNING,
      StageStatus.QUEUED, StageStatus.AWAITING_RETRY, StageStatus.AWAITING_RESULT);

  private static final StringSerializer PREFIX_SERIALIZER = new StringSerializer();

  private final KeyValueStore<String, SpecificRecord> store;
  private final PlanVersions plans;
  private final RecentMissions recent;
  private final RecentEntries entries;
  /** The mission whose header was last loaded or written, and that header: what its next save finds held. */
  private String lastMissionId;
  private MissionHeader lastHeader;

  MissionStore(KeyValueStore<String, SpecificRecord> store, PlanVersions plans) {
    this(store, plans, new RecentMissions(RecentMissions.DEFAULT_CAPACITY), new RecentEntries());
  }

  /** @param recentCapacity how many whole missions last written are kept decoded; 0 for none, of either layout */
  MissionStore(KeyValueStore<String, SpecificRecord> store, PlanVersions plans, int recentCapacity) {
    this(store, plans, new RecentMissions(recentCapacity),
        recentCapacity == 0 ? new RecentEntries(1, 0) : new RecentEntries());
  }

  /**
   * @param recent the whole missions last written, kept decoded
   * @param entries the headers and stage entries last written, kept decoded
   */
  MissionStore(KeyValueStore<String, SpecificRecord> store, PlanVersions plans, RecentMissions recent,
      RecentEntries entries) {
    this.store = store;
    this.plans = plans;
    this.recent = recent;
    this.entries = entries;
  }

  /** The stored mission, its stages loaded on demand; null if none is stored. */
  Mission load(String missionId) {
    MissionState written = recent.get(missionId);
    if (written != null) {
      return MissionStateCodec.fromStored(written);
    }
    RecentEntries.Kept kept = entries.get(missionId);
    if (kept != null) {
      return fromHeader(kept.header(), kept);
    }
    SpecificRecord value = store.get(missionId);
    if (value instanceof MissionHeader header) {
      return fromHeader(header, null);
    }
    if (value instanceof MissionState whole) {
      return MissionStateCodec.fromStored(whole);
    }
    return null;
  }

  /** When the stored mission started, its stages left unread; null if none is stored. */
  Instant startedAt(String missionId) {
    MissionState written = recent.get(missionId);
    if (written != null) {
      return written.getStartedAt();
    }
    RecentEntries.Kept kept = entries.get(missionId);
    if (kept != null) {
      return kept.header().getStartedAt();
    }
    SpecificRecord value = store.get(missionId);
    if (value instanceof MissionHeader header) {
      return header.getStartedAt();
    }
    return value instanceof MissionState whole ? whole.getStartedAt() : null;
  }

  private Mission fromHeader(MissionHeader header, RecentEntries.Kept kept) {
    lastMissionId = header.getMissionId();
    lastHeader = header;
    return MissionStateCodec.fromHeader(header, new StoredStages(store, header, plans, kept));
  }

  /**
   * Writes the mission whole if it is new or stored whole and small enough, in stages and in bytes
   * ({@link WholeSize}); else its changed
   * stages the header does not hold, then its header: a changelog reader sees a header after its
   * stages. A new mission's stages still as started are left implicit; once a mission is stored in
   * entries, every change is written, since its stage may have an entry to overwrite.
   *
   * @param isNew whether the mission had nothing stored before this decision
   */
  void save(Mission mission, boolean isNew) {
    if (mission.readsStagesOnDemand()) {
      writeEntries(mission, mission.changedStages(), isNew, isNew, stagesOutBefore(mission.missionId()));
    } else if (mission.stages().size() <= WHOLE_MAX_STAGES) {
      MissionState whole = inKeyOrder(MissionStateCodec.toStored(mission));
      if (!WholeSize.fits(mission, whole)) {
        writeEntries(mission, mission.stages(), isNew, true, List.of());
        return;
      }
      store.put(mission.missionId(), whole);
      if (mission.hasEnded()) {
        recent.remove(mission.missionId());
      } else {
        recent.put(mission.missionId(), whole);
      }
    } else {
      // Stored whole until now (or new): every stage gets its entry before the header replaces the record.
      writeEntries(mission, mission.stages(), isNew, true, List.of());
    }
  }

  /** {@code whole} with its stages by name, the order stage entries have: either layout reads the same. */
  private static MissionState inKeyOrder(MissionState whole) {
    whole.getStages().sort(Comparator.comparing(StoredStage::getName));
    return whole;
  }

  /**
   * Writes the entries of {@code stages} but those the header holds, then the header.
   *
   * @param everyEntry whether {@code stages} are all the entries the mission will have in the store
   * @param heldBefore the stages out the mission's stored header held
   */
  private void writeEntries(Mission mission, Collection<Stage> stages, boolean isNew, boolean everyEntry,
      List<StoredStage> heldBefore) {
    recent.remove(mission.missionId());
    List<StoredStage> held = new ArrayList<>(heldBefore.size() + 1);
    for (StoredStage before : heldBefore) {
      if (!mission.changed(before.getName())) {
        held.add(before);
      }
    }
    List<StoredStage> written = new ArrayList<>(stages.size());
    // Stages the header held first: one still out keeps its place, so that it never needs an entry until it changes.
    for (Stage stage : stages) {
      if (heldBy(heldBefore, stage.name())) {
        if (mayBeHeld(stage)) {
          held.add(MissionStateCodec.toStored(stage));
        } else {
          written.add(writeEntry(mission, stage));
        }
      }
    }
    for (Stage stage : stages) {
      if (heldBy(heldBefore, stage.name())) {
        continue;
      }
      if (mayBeHeld(stage) && held.size() < HEADER_MAX_STAGES_OUT) {
        held.add(MissionStateCodec.toStored(stage));
      } else if (!(isNew && stage.isAsStarted(mission.startedAt()))) {
        written.add(writeEntry(mission, stage));
      }
    }
    MissionHeader header = MissionStateCodec.toHeader(mission, held);
    store.put(mission.missionId(), header);
    lastMissionId = mission.missionId();
    lastHeader = header;
    if (mission.hasEnded()) {
      entries.remove(mission.missionId());
    } else {
      entries.written(mission.missionId(), header, written, everyEntry);
    }
  }

  private StoredStage writeEntry(Mission mission, Stage stage) {
    StoredStage entry = MissionStateCodec.toStored(stage);
    store.put(StageKeys.of(mission.missionId(), stage.name()), entry);
    return entry;
  }

  /**
   * Whether the header may hold the stage: out, and a plan stage. A chunk carries its items, which
   * may be long, and a header is rewritten at every transition; its fan-out stage, whose counters
   * change at every chunk's, is held.
   */
  private static boolean mayBeHeld(Stage stage) {
    return STAGES_OUT.contains(stage.status()) && !StageInstance.isChunk(stage.name());
  }

  private static boolean heldBy(List<StoredStage> held, String name) {
    return heldStage(held, name) != null;
  }

  /** The stage called {@code name} among {@code held}; null if not there. */
  private static StoredStage heldStage(List<StoredStage> held, String name) {
    for (StoredStage stage : held) {
      if (stage.getName().equals(name)) {
        return stage;
      }
    }
    return null;
  }

  /**
   * The stages out the mission's stored header holds: from the header last loaded or written, else
   * the one kept, else the store's.
   */
  private List<StoredStage> stagesOutBefore(String missionId) {
    MissionHeader header = missionId.equals(lastMissionId) ? lastHeader : null;
    if (header == null) {
      RecentEntries.Kept kept = entries.get(missionId);
      header = kept != null ? kept.header() : store.get(missionId) instanceof MissionHeader stored ? stored : null;
    }
    return header == null ? List.of() : header.getStagesOut();
  }

  /**
   * Removes a forgotten mission: its stage entries, then its header, so that a changelog reader
   * never sees a header without the stages it had.
   */
  void forget(String missionId) {
    if (missionId.equals(lastMissionId)) {
      lastMissionId = null;
      lastHeader = null;
    }
    recent.remove(missionId);
    entries.remove(missionId);
    List<String> stageKeys = new ArrayList<>();
    try (KeyValueIterator<String, SpecificRecord> stageEntries =
        store.prefixScan(StageKeys.prefix(missionId), PREFIX_SERIALIZER)) {
      stageEntries.forEachRemaining(entry -> stageKeys.add(entry.key));
    }
    stageKeys.forEach(store::delete);
    store.delete(missionId);
  }

  /**
   * The whole stored mission, assembled from its entries and the stages its plan version has that
   * are left implicit; null if none is stored. For queries and tests: a transition never needs every
   * stage.
   */
  public static MissionState assemble(
      ReadOnlyKeyValueStore<String, SpecificRecord> store, String missionId, PlanVersions plans) {
    SpecificRecord value = store.get(missionId);
    if (value instanceof MissionState whole) {
      return whole;
    }
    if (!(value instanceof MissionHeader header)) {
      return null;
    }
    return withImplicitStages(header, stagesOf(store, missionId), plans);
  }

  /**
   * The mission of {@code header} with its stored stages, and a stage {@linkplain Stage#asStarted as
   * started} for each stage of its plan version that has no entry; stages by name, as the store
   * orders their keys. Without the plan version (never applied) only the stored stages.
   */
  public static MissionState withImplicitStages(MissionHeader header, List<StoredStage> stored, PlanVersions plans) {
    Map<String, StoredStage> byName = new TreeMap<>();
    stored.forEach(stage -> byName.put(stage.getName(), stage));
    header.getStagesOut().forEach(stage -> byName.put(stage.getName(), stage));
    Optional<MissionPlan> plan = plans.version(header.getPlanName(), header.getPlanVersion());
    if (plan.isEmpty()) {
      return MissionStateCodec.assemble(header, new ArrayList<>(byName.values()));
    }
    for (String name : plan.get().stageNames()) {
      byName.computeIfAbsent(name, missing -> MissionStateCodec.toStored(Stage.asStarted(missing, header.getStartedAt())));
    }
    return MissionStateCodec.assemble(header, new ArrayList<>(byName.values()));
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

  /**
   * One mission's stage entries, read as the state machine asks for them; a stage of the plan with
   * no entry is as the start left it. The plan version is looked up only when an entry is missing.
   * The entries this instance kept are read first, and if it kept every entry the mission has, a
   * stage with none kept is not looked for in the store.
   */
  private static final class StoredStages implements StageSource {
    private final KeyValueStore<String, SpecificRecord> store;
    private final MissionHeader header;
    private final PlanVersions plans;
    private final RecentEntries.Kept kept;
    private MissionPlan plan;

    /** @param kept what this instance kept of the mission's entries; null for nothing */
    StoredStages(KeyValueStore<String, SpecificRecord> store, MissionHeader header, PlanVersions plans,
        RecentEntries.Kept kept) {
      this.store = store;
      this.header = header;
      this.plans = plans;
      this.kept = kept;
    }

    @Override
    public Stage load(String name) {
      StoredStage held = heldStage(header.getStagesOut(), name);
      if (held != null) {
        return MissionStateCodec.fromStored(held);
      }
      if (kept != null) {
        StoredStage entry = kept.stage(name);
        if (entry != null) {
          return MissionStateCodec.fromStored(entry);
        }
        if (kept.complete()) {
          return implicit(name);
        }
      }
      SpecificRecord value = store.get(StageKeys.of(header.getMissionId(), name));
      if (value instanceof StoredStage stage) {
        return MissionStateCodec.fromStored(stage);
      }
      return implicit(name);
    }

    /** The stage as the start left it, for a stage with no entry; null if the plan has none of that name. */
    private Stage implicit(String name) {
      return plan().hasStage(name) ? Stage.asStarted(name, header.getStartedAt()) : null;
    }

    @Override
    public List<Stage> loadAll() {
      List<Stage> all = new ArrayList<>();
      withImplicitStages(header, stagesOf(store, header.getMissionId()), (name, version) -> Optional.of(plan()))
          .getStages().forEach(stage -> all.add(MissionStateCodec.fromStored(stage)));
      return all;
    }

    private MissionPlan plan() {
      if (plan == null) {
        plan = plans.version(header.getPlanName(), header.getPlanVersion()).orElseThrow(() -> new IllegalStateException(
            "Expected plan '" + header.getPlanName() + "' version " + header.getPlanVersion() + " of mission '"
                + header.getMissionId() + "' in the plan store, to read its stages, but it is not there"));
      }
      return plan;
    }
  }
}
