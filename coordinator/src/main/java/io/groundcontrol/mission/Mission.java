package io.groundcontrol.mission;

import io.groundcontrol.schema.MissionStatus;
import io.groundcontrol.schema.StageStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The state of one mission. Mutable, but only through package-private methods called by the
 * event appliers, so every change is the effect of an event in the log.
 *
 * <p>A mission built from events holds all its stages. One {@linkplain #load loaded} from a store
 * holds its header and stage counts, and fetches stages from a {@link StageSource} as they are
 * asked for: a transition then costs the stages it touches, not the size of the plan. Either way
 * it remembers which stages changed, so a store writes back only those.
 */
public final class Mission implements MissionView {
  private static final StageSource NO_STORE = new StageSource() {
    @Override
    public Stage load(String name) {
      return null;
    }

    @Override
    public List<Stage> loadAll() {
      return List.of();
    }
  };

  private final String missionId;
  private final String planName;
  private final String planVersion;
  private final Map<String, String> params;
  private final Instant startedAt;
  private final Map<String, Stage> stages;
  private final EnumMap<StageStatus, Integer> statusCounts = new EnumMap<>(StageStatus.class);
  private final StageSource source;
  private final Set<String> changedStages = new LinkedHashSet<>();
  /** Every stage changed, as at a start: kept as one flag, not a name for each of thousands of stages. */
  private boolean allStagesChanged;
  private boolean allStagesLoaded;
  private MissionStatus status;
  private long sequence;
  private Instant updatedAt;
  private String reason;
  private boolean noReuse;
  private int priority;
  private int admissionAsk;

  Mission(
      String missionId,
      String planName,
      String planVersion,
      MissionStatus status,
      Map<String, String> params,
      long sequence,
      Instant startedAt,
      Instant updatedAt,
      String reason,
      List<Stage> stages) {
    this(missionId, planName, planVersion, status, params, sequence, startedAt, updatedAt, reason, NO_STORE,
        stages.size());
    for (Stage stage : stages) {
      this.stages.put(stage.name(), stage);
      if (!StageInstance.isChunk(stage.name())) {
        statusCounts.merge(stage.status(), 1, Integer::sum);
      }
    }
    this.allStagesLoaded = true;
  }

  private Mission(
      String missionId,
      String planName,
      String planVersion,
      MissionStatus status,
      Map<String, String> params,
      long sequence,
      Instant startedAt,
      Instant updatedAt,
      String reason,
      StageSource source,
      int expectedStages) {
    this.missionId = missionId;
    this.planName = planName;
    this.planVersion = planVersion;
    this.status = status;
    this.params = Map.copyOf(params);
    this.sequence = sequence;
    this.startedAt = startedAt;
    this.updatedAt = updatedAt;
    this.reason = reason;
    this.stages = new LinkedHashMap<>(Math.max(16, (int) (expectedStages / 0.75f) + 1));
    this.source = source;
    for (StageStatus s : StageStatus.values()) {
      statusCounts.put(s, 0);
    }
  }

  /** Rebuilds a mission from stored fields; used by the store codec, not by logic. */
  public static Mission restore(
      String missionId,
      String planName,
      String planVersion,
      MissionStatus status,
      Map<String, String> params,
      long sequence,
      Instant startedAt,
      Instant updatedAt,
      String reason,
      List<Stage> stages) {
    return new Mission(
        missionId, planName, planVersion, status, params, sequence, startedAt, updatedAt, reason, stages);
  }

  /**
   * A mission whose stages stay in a store: {@code stageCounts} says how many stages are in each
   * status, and {@code stages} supplies a stage when a decision asks for it.
   */
  public static Mission load(
      String missionId,
      String planName,
      String planVersion,
      MissionStatus status,
      Map<String, String> params,
      long sequence,
      Instant startedAt,
      Instant updatedAt,
      String reason,
      Map<StageStatus, Integer> stageCounts,
      StageSource stages) {
    Mission mission = new Mission(
        missionId, planName, planVersion, status, params, sequence, startedAt, updatedAt, reason, stages, 0);
    stageCounts.forEach(mission.statusCounts::put);
    return mission;
  }

  /**
   * Whether this mission reads its stages from a store as they are asked for ({@link #load}),
   * rather than holding every stage (built from events, or {@linkplain #restore restored} whole).
   */
  public boolean readsStagesOnDemand() {
    return source != NO_STORE;
  }

  /** Sets the priority read from a store; for the store codec, not for logic. */
  public Mission restoredPriority(int value) {
    this.priority = value;
    return this;
  }

  @Override
  public int priority() {
    return priority;
  }

  void priority(int value) {
    this.priority = value;
  }

  /** Sets the latest ask's number read from a store; for the store codec, not for logic. */
  public Mission restoredAdmissionAsk(int value) {
    this.admissionAsk = value;
    return this;
  }

  @Override
  public int admissionAsk() {
    return admissionAsk;
  }

  void admissionAsk(int value) {
    this.admissionAsk = value;
  }

  @Override
  public String missionId() {
    return missionId;
  }

  @Override
  public String planName() {
    return planName;
  }

  @Override
  public String planVersion() {
    return planVersion;
  }

  @Override
  public MissionStatus status() {
    return status;
  }

  @Override
  public Map<String, String> params() {
    return params;
  }

  @Override
  public long sequence() {
    return sequence;
  }

  @Override
  public Instant startedAt() {
    return startedAt;
  }

  @Override
  public Instant updatedAt() {
    return updatedAt;
  }

  @Override
  public boolean noReuse() {
    return noReuse;
  }

  /**
   * Sets whether the mission was started with --no-reuse: by its {@code MissionStarted} applier,
   * and by the store codec when restoring. Returns this mission.
   */
  public Mission noReuse(boolean value) {
    this.noReuse = value;
    return this;
  }

  @Override
  public Optional<String> reason() {
    return Optional.ofNullable(reason);
  }

  @Override
  public Optional<StageView> stage(String name) {
    return Optional.ofNullable(find(name));
  }

  /**
   * Every stage: in plan order for a mission built from events; for one loaded from a store, the
   * stages already read in the order read, then the rest in the store's order.
   */
  @Override
  public Collection<Stage> stages() {
    if (!allStagesLoaded) {
      for (Stage stage : source.loadAll()) {
        stages.putIfAbsent(stage.name(), stage);
      }
      allStagesLoaded = true;
    }
    return Collections.unmodifiableCollection(stages.values());
  }

  /**
   * Forgets which stages changed, once they are saved: the next decision on this same object then
   * reports only its own changes.
   */
  public void forgetChanges() {
    changedStages.clear();
    allStagesChanged = false;
  }

  /** The stages changed since this mission was built or loaded, in the order first changed. */
  public List<Stage> changedStages() {
    if (allStagesChanged) {
      return new ArrayList<>(stages());
    }
    List<Stage> changed = new ArrayList<>(changedStages.size());
    changedStages.forEach(name -> changed.add(stages.get(name)));
    return changed;
  }

  /** Whether the stage called {@code name} changed since this mission was built or loaded. */
  public boolean changed(String name) {
    return allStagesChanged || changedStages.contains(name);
  }

  /** How many stages are in each status; statuses with none are left out. */
  public Map<StageStatus, Integer> stageCounts() {
    Map<StageStatus, Integer> counts = new EnumMap<>(StageStatus.class);
    statusCounts.forEach((status, count) -> {
      if (count != 0) {
        counts.put(status, count);
      }
    });
    return counts;
  }

  private Stage find(String name) {
    Stage stage = stages.get(name);
    if (stage == null && !allStagesLoaded) {
      stage = source.load(name);
      if (stage != null) {
        stages.put(name, stage);
      }
    }
    return stage;
  }

  @Override
  public int activeStageCount() {
    return statusCounts.get(StageStatus.DISPATCHED) + statusCounts.get(StageStatus.RUNNING);
  }

  @Override
  public int pendingStageCount() {
    return activeStageCount() + statusCounts.get(StageStatus.AWAITING_RETRY)
        + statusCounts.get(StageStatus.AWAITING_RESULT) + statusCounts.get(StageStatus.QUEUED);
  }

  @Override
  public int countOf(StageStatus status) {
    return statusCounts.get(status);
  }

  Stage mutableStage(String name) {
    Stage stage = find(name);
    if (stage == null) {
      throw new IllegalStateException("Mission '" + missionId + "' has no stage '" + name + "'");
    }
    changedStages.add(name);
    return stage;
  }

  /**
   * Marks every stage changed, so that a store writes them all: for a new mission, and for one
   * read from an older store layout.
   */
  public void markAllStagesChanged() {
    stages(); // loaded now, as before the flag: stored stages keep their order ahead of ones changed later
    allStagesChanged = true;
  }

  /**
   * Moves a stage to {@code next}. The mission's counts are of plan stages only; a chunk instance
   * is counted by its fan-out stage's counters instead, so "every chunk done" is one comparison.
   */
  void changeStageStatus(Stage stage, StageStatus next, Instant at) {
    if (StageInstance.isChunk(stage.name())) {
      StageStatus before = stage.status();
      stage.status(next, at);
      countChunk(stage, before, next);
      return;
    }
    statusCounts.merge(stage.status(), -1, Integer::sum);
    statusCounts.merge(next, 1, Integer::sum);
    stage.status(next, at);
  }

  private void countChunk(Stage chunk, StageStatus before, StageStatus next) {
    Stage parent = mutableStage(StageInstance.planStage(chunk.name()));
    FanOut counters = parent.fanOut().orElseThrow(() -> new IllegalStateException(
        "Expected stage '" + parent.name() + "' of mission '" + missionId + "' to be fanned out, as chunk '"
            + chunk.name() + "' changes, but it is not"));
    counters.count(flag(isOut(next)) - flag(isOut(before)), flag(isDone(next)) - flag(isDone(before)),
        flag(next == StageStatus.FAILED) - flag(before == StageStatus.FAILED),
        flag(next == StageStatus.QUEUED) - flag(before == StageStatus.QUEUED));
    int index = StageInstance.index(chunk.name());
    boolean atCursor = index == counters.next();
    if (before == StageStatus.WAITING && next != StageStatus.WAITING) {
      counters.chunkLeftWaiting(index);
    } else if (before != StageStatus.WAITING && next == StageStatus.WAITING) {
      counters.chunkBackToWaiting(index);
    }
    if (atCursor) {
      passChunksLeftWaiting(parent.name(), counters);
    }
  }

  /**
   * Moves the cursor past the chunks that left WAITING out of turn (settled by hand before it
   * reached them, or started before a retried chunk put it back), so it stands on a WAITING chunk
   * again. The counters tell when there are any, so a fan-out run in order reads no chunk here.
   */
  private void passChunksLeftWaiting(String stage, FanOut counters) {
    while (counters.next() < counters.chunkCount() && counters.leftWaitingPastCursor()) {
      Stage at = find(StageInstance.chunk(stage, counters.next()));
      if (at == null || at.status() == StageStatus.WAITING) {
        return;
      }
      counters.passCursor();
    }
  }

  private static int flag(boolean value) {
    return value ? 1 : 0;
  }

  /** Whether a chunk in this status holds one of its stage's max_parallel places. */
  private static boolean isOut(StageStatus status) {
    return switch (status) {
      case QUEUED, DISPATCHED, RUNNING, AWAITING_RETRY, AWAITING_RESULT -> true;
      default -> false;
    };
  }

  private static boolean isDone(StageStatus status) {
    return status == StageStatus.FINISHED || status == StageStatus.REUSED || status == StageStatus.SKIPPED;
  }

  /** Adds a new chunk instance (or replaces one of an earlier fan-out of the same stage). */
  void addChunk(Stage chunk) {
    stages.put(chunk.name(), chunk);
    changedStages.add(chunk.name());
  }

  void end(MissionStatus next, String why) {
    this.status = next;
    this.reason = why;
  }

  void touch(long sequence, Instant at) {
    this.sequence = sequence;
    this.updatedAt = at;
  }

  @Override
  public String toString() {
    return "Mission[" + missionId + " " + status + " seq=" + sequence + " stages=" + stages.values()
        + (allStagesLoaded ? "" : " (loaded so far)") + "]";
  }
}
