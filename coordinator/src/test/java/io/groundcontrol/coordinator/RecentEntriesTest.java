package io.groundcontrol.coordinator;

import static io.groundcontrol.coordinator.CoordinatorDriver.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.mission.Decision;
import io.groundcontrol.mission.InMemoryPlans;
import io.groundcontrol.mission.Mission;
import io.groundcontrol.mission.MissionEngine;
import io.groundcontrol.mission.StageView;
import io.groundcontrol.mission.TestPlan;
import io.groundcontrol.schema.Actor;
import io.groundcontrol.schema.ActorKind;
import io.groundcontrol.schema.CancelMission;
import io.groundcontrol.schema.MissionCommand;
import io.groundcontrol.schema.MissionHeader;
import io.groundcontrol.schema.ReportFailed;
import io.groundcontrol.schema.ReportFinished;
import io.groundcontrol.schema.ReportStarted;
import io.groundcontrol.schema.StageError;
import io.groundcontrol.schema.StageReport;
import io.groundcontrol.schema.StageStatus;
import io.groundcontrol.schema.StartMission;
import io.groundcontrol.schema.StoredStage;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A mission stored in entries is read back from the header and stage entries this instance last
 * wrote, and that reads the same as the store does, whatever was kept or dropped.
 */
class RecentEntriesTest {
  private static final Actor WORKER = new Actor(ActorKind.WORKER, "w-1", "h1");
  private static final Actor USER = new Actor(ActorKind.USER, "ann", null);
  private static final int LINEAR_STAGES = 40;

  @TempDir
  Path stateDir;

  private CoordinatorDriver coordinator;
  private KeyValueStore<String, SpecificRecord> store;
  private final AtomicInteger storeReads = new AtomicInteger();
  private final InMemoryPlans plans = new InMemoryPlans();
  private final MissionEngine engine = new MissionEngine(plans);
  private Instant clock = T0;

  @BeforeEach
  void setUp() {
    coordinator = new CoordinatorDriver(stateDir);
    store = countingReads(coordinator.driver.getKeyValueStore(CoordinatorTopology.MISSION_STORE));
    TestPlan linear = TestPlan.named("linear").stage("s0", "sql");
    for (int i = 1; i < LINEAR_STAGES; i++) {
      linear.stage("s" + i, "sql", "s" + (i - 1));
    }
    plans.apply(linear);
  }

  @AfterEach
  void tearDown() {
    coordinator.close();
  }

  @Test
  void aLinearTransitionOfAMissionStartedHereReadsNothingFromTheStore() {
    MissionStore missions = new MissionStore(store, plans);
    decideAndSave(missions, "m1", start("m1", "linear"));
    storeReads.set(0);

    for (int i = 0; i < 10; i++) {
      decideAndSave(missions, "m1", finished("m1", "s" + i));
    }

    assertThat(storeReads).as("header, the stage finishing and the one dispatched, all kept").hasValue(0);
    assertThat(missions.load("m1").stage("s10").map(StageView::status)).contains(StageStatus.DISPATCHED);
    assertThat(missions.load("m1").stage("s11").map(StageView::status)).contains(StageStatus.WAITING);
    assertThat(storeReads).hasValue(0);
  }

  @Test
  void aMissionWrittenByAnEarlierInstanceIsReadFromTheStoreUntilWrittenHere() {
    decideAndSave(new MissionStore(store, plans), "m1", start("m1", "linear"));
    MissionStore missions = new MissionStore(store, plans);
    storeReads.set(0);

    decideAndSave(missions, "m1", finished("m1", "s0"));
    assertThat(storeReads).as("the header, which holds s0, and s1, which has no entry").hasValue(2);

    storeReads.set(0);
    decideAndSave(missions, "m1", finished("m1", "s1"));
    assertThat(storeReads).as("s2 only, s1 being held by the header: its missing entry may be one this instance never saw")
        .hasValue(1);
  }

  @Test
  void aMissionThatWroteMoreStagesThanItKeepsReadsTheDroppedOnesFromTheStore() {
    MissionStore missions = new MissionStore(store, plans, new RecentMissions(8), new RecentEntries(3, 100));
    decideAndSave(missions, "m1", start("m1", "linear"));
    for (int i = 0; i < 5; i++) {
      decideAndSave(missions, "m1", finished("m1", "s" + i));
    }
    storeReads.set(0);

    Mission mission = missions.load("m1");
    assertThat(mission.stage("s5").map(StageView::status)).contains(StageStatus.DISPATCHED);
    assertThat(storeReads).as("s5 is kept").hasValue(0);
    assertThat(mission.stage("s0").map(StageView::status)).contains(StageStatus.FINISHED);
    assertThat(mission.stage("s9").map(StageView::status)).contains(StageStatus.WAITING);
    assertThat(storeReads).as("s0 was dropped, so s9's missing entry is looked for too").hasValue(2);
  }

  @Test
  void theLeastRecentlyUsedMissionsGoFirstOnceTheCapacityIsReached() {
    RecentEntries entries = new RecentEntries(4, 6);
    entries.written("a", header("a"), stages("s0", "s1", "s2"), true);
    entries.written("b", header("b"), stages("s0", "s1"), true);
    assertThat(entries.get("a")).isNotNull();

    entries.written("c", header("c"), stages("s0", "s1"), true);

    assertThat(entries.get("b")).as("b was used least recently").isNull();
    assertThat(entries.get("a")).isNotNull();
    assertThat(entries.get("c")).isNotNull();
    assertThat(entries.stagesKept()).isEqualTo(5);

    entries.written("a", header("a"), stages("s2", "s3", "s4"), false);
    assertThat(entries.get("a").complete()).as("one of a's five entries was dropped").isFalse();
    assertThat(entries.get("a").stage("s0")).isNull();
    assertThat(entries.get("a").stage("s4")).isNotNull();
    assertThat(entries.stagesKept()).isEqualTo(6);

    entries.remove("a");
    entries.remove("c");
    assertThat(entries.stagesKept()).isZero();
  }

  @Test
  void aMissionFirstSeenOnAWriteIsIncompleteUntilWrittenWhole() {
    RecentEntries entries = new RecentEntries(4, 100);
    entries.written("a", header("a"), stages("s3"), false);
    assertThat(entries.get("a").complete()).isFalse();

    entries.written("a", header("a"), stages("s0", "s1"), true);
    assertThat(entries.get("a").complete()).isTrue();
    assertThat(entries.get("a").stage("s3")).as("what was kept before the whole write is gone").isNull();
    assertThat(entries.stagesKept()).isEqualTo(2);

    new RecentEntries(4, 0).written("a", header("a"), stages("s0"), true);
  }

  @Test
  void randomHistoriesReadTheSameFromWhatIsKeptAsFromTheStore() {
    TestPlan dag = TestPlan.named("dag").stage("n0", "sql");
    Random shape = new Random(7);
    for (int i = 1; i < 30; i++) {
      int first = shape.nextInt(i);
      int second = shape.nextInt(i);
      dag.stage("n" + i, "sql", first == second ? new String[] {"n" + first} : new String[] {"n" + first, "n" + second});
    }
    plans.apply(dag);
    // More branches out at once than a header holds.
    TestPlan wide = TestPlan.named("wide").stage("w0", "sql");
    String[] branches = new String[MissionStore.HEADER_MAX_STAGES_OUT + 4];
    for (int i = 0; i < branches.length; i++) {
      branches[i] = "b" + i;
      wide.stage(branches[i], "sql", "w0");
    }
    wide.stage("w1", "sql", branches);
    for (int i = 2; i < 18; i++) {
      wide.stage("w" + i, "sql", "w" + (i - 1));
    }
    plans.apply(wide);
    List<String> planNames = List.of("dag", "linear", "wide");
    for (long seed = 1; seed <= 4; seed++) {
      Random random = new Random(seed);
      MissionStore kept = new MissionStore(store, plans, new RecentMissions(8), new RecentEntries(1 + random.nextInt(8), 24));
      MissionStore read = new MissionStore(store, plans, 0);
      Map<String, Mission> truth = new HashMap<>();
      List<String> active = new ArrayList<>();
      int started = 0;
      for (int step = 0; step < 1_500; step++) {
        String missionId;
        Object input;
        if (active.size() < 3 || random.nextInt(20) == 0) {
          missionId = "r" + seed + "-" + started++;
          input = start(missionId, planNames.get(random.nextInt(planNames.size())));
          active.add(missionId);
        } else {
          missionId = active.get(random.nextInt(active.size()));
          input = randomInput(read.load(missionId), random);
        }
        Instant at = tick();
        Mission after = decideAndSave(kept, missionId, input, at);
        engine.decide(truth.get(missionId), input, at).mission().ifPresent(mission -> truth.put(missionId, mission));
        if (after == null || after.hasEnded()) {
          active.remove(missionId);
        }
        assertReadAsDecided(truth.get(missionId), read.load(missionId));
        assertReadAlike(kept, read, missionId);
        if (!active.isEmpty()) {
          assertReadAlike(kept, read, active.get(random.nextInt(active.size())));
        }
      }
      assertThat(started).as("seed " + seed + " went through many missions").isGreaterThan(20);
    }
  }

  private Object randomInput(Mission mission, Random random) {
    List<StageView> active = new ArrayList<>();
    for (String name : plans.version(mission.planName(), mission.planVersion()).orElseThrow().stageNames()) {
      mission.stage(name).filter(StageView::isActive).ifPresent(active::add);
    }
    if (active.isEmpty() || random.nextInt(100) == 0) {
      return new MissionCommand(mission.missionId(), USER, tick(), new CancelMission("enough"));
    }
    StageView stage = active.get(random.nextInt(active.size()));
    int outcome = random.nextInt(10);
    Object report = outcome == 0 ? new ReportFailed(new StageError("boom", null, false))
        : outcome < 3 && stage.status() == StageStatus.DISPATCHED ? new ReportStarted(null, null)
        : new ReportFinished(Map.of());
    return new StageReport(mission.missionId(), stage.name(), stage.attempt(), WORKER, tick(), report);
  }

  /** The mission as read from the store is the one the engine decided, kept in memory. */
  private void assertReadAsDecided(Mission decided, Mission read) {
    if (decided == null) {
      assertThat(read).isNull();
      return;
    }
    assertThat(MissionStateCodec.toHeader(read)).as(decided.missionId()).isEqualTo(MissionStateCodec.toHeader(decided));
    for (String name : plans.version(decided.planName(), decided.planVersion()).orElseThrow().stageNames()) {
      assertThat(read.stage(name).map(MissionStateCodec::toStored)).as(decided.missionId() + " " + name)
          .isEqualTo(decided.stage(name).map(MissionStateCodec::toStored));
    }
  }

  private void assertReadAlike(MissionStore kept, MissionStore read, String missionId) {
    Mission fromKept = kept.load(missionId);
    Mission fromStore = read.load(missionId);
    if (fromStore == null) {
      assertThat(fromKept).isNull();
      return;
    }
    assertThat(MissionStateCodec.toHeader(fromKept)).as(missionId).isEqualTo(MissionStateCodec.toHeader(fromStore));
    for (String name : plans.version(fromStore.planName(), fromStore.planVersion()).orElseThrow().stageNames()) {
      assertThat(fromKept.stage(name).map(MissionStateCodec::toStored)).as(missionId + " " + name)
          .isEqualTo(fromStore.stage(name).map(MissionStateCodec::toStored));
    }
  }

  /** Loads, decides and saves as the missions processor does; the mission after, null if none. */
  private Mission decideAndSave(MissionStore missions, String missionId, Object input) {
    return decideAndSave(missions, missionId, input, tick());
  }

  private Mission decideAndSave(MissionStore missions, String missionId, Object input, Instant at) {
    Mission mission = missions.load(missionId);
    boolean isNew = mission == null;
    Decision decision = engine.decide(mission, input, at);
    if (decision.changedMission()) {
      missions.save(decision.mission().orElseThrow(), isNew);
    }
    return decision.mission().orElse(null);
  }

  private Instant tick() {
    clock = clock.plusMillis(10);
    return clock;
  }

  private MissionCommand start(String missionId, String plan) {
    return new MissionCommand(missionId, USER, tick(), new StartMission(plan, Map.of(), List.of(), List.of(), false, 0));
  }

  private StageReport finished(String missionId, String stage) {
    return new StageReport(missionId, stage, 1, WORKER, tick(), new ReportFinished(Map.of()));
  }

  private static MissionHeader header(String missionId) {
    return MissionHeader.newBuilder().setMissionId(missionId).setPlanName("p").setPlanVersion("v1")
        .setStatus(io.groundcontrol.schema.MissionStatus.RUNNING).setParams(Map.of()).setSequence(1).setStartedAt(T0)
        .setUpdatedAt(T0).setReason(null).setStageCounts(Map.of()).setNoReuse(false).setPriority(0).build();
  }

  private static List<StoredStage> stages(String... names) {
    List<StoredStage> stages = new ArrayList<>();
    for (String name : names) {
      stages.add(MissionStateCodec.toStored(io.groundcontrol.mission.Stage.asStarted(name, T0)));
    }
    return stages;
  }

  @SuppressWarnings("unchecked")
  private KeyValueStore<String, SpecificRecord> countingReads(KeyValueStore<String, SpecificRecord> real) {
    return (KeyValueStore<String, SpecificRecord>) Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {KeyValueStore.class}, (proxy, method, args) -> {
          if (method.getName().equals("get")) {
            storeReads.incrementAndGet();
          }
          try {
            return method.invoke(real, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }
}
