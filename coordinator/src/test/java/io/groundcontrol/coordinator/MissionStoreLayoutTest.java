package io.groundcontrol.coordinator;

import static io.groundcontrol.coordinator.CoordinatorDriver.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.mission.FanOut;
import io.groundcontrol.mission.Mission;
import io.groundcontrol.mission.PlanVersions;
import io.groundcontrol.mission.Stage;
import io.groundcontrol.mission.TestPlan;
import io.groundcontrol.schema.InputRejected;
import io.groundcontrol.schema.RejectionReason;
import io.groundcontrol.schema.MissionEvent;
import io.groundcontrol.schema.MissionHeader;
import io.groundcontrol.schema.MissionState;
import io.groundcontrol.schema.MissionStatus;
import io.groundcontrol.schema.ReportFinished;
import io.groundcontrol.schema.ReusedFrom;
import io.groundcontrol.schema.StageError;
import io.groundcontrol.schema.StageStatus;
import io.groundcontrol.schema.StoredStage;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import io.groundcontrol.schema.wire.SchemaHistory;
import org.apache.avro.Schema;
import org.apache.avro.data.TimeConversions;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The missions store keeps a mission of a large plan as a header and an entry per stage, and a
 * transition writes only what it changed: the stages it touched, then the header. A mission of a
 * small plan is one record, written whole.
 */
class MissionStoreLayoutTest {
  private static final int STAGES = 1_000;

  @TempDir
  Path stateDir;

  private CoordinatorDriver coordinator;
  private TestOutputTopic<String, byte[]> changelog;

  @BeforeEach
  void setUp() {
    coordinator = new CoordinatorDriver(stateDir);
    String applicationId = coordinator.config.streamsProperties().getProperty(StreamsConfig.APPLICATION_ID_CONFIG);
    changelog = coordinator.driver.createOutputTopic(
        applicationId + "-" + CoordinatorTopology.MISSION_STORE + "-changelog", new StringDeserializer(),
        new ByteArrayDeserializer());
    TestPlan plan = TestPlan.named("long").stage("s0", "warehouse");
    for (int i = 1; i < STAGES; i++) {
      plan.stage("s" + i, "warehouse", "s" + (i - 1));
    }
    coordinator.apply(plan.build());
    coordinator.apply(TestPlan.diamond().build());
  }

  @AfterEach
  void tearDown() {
    coordinator.close();
  }

  @Test
  void aStartWritesOnlyTheHeaderHoldingTheStageItDispatchedAndLeavesTheWaitingOnesImplicit() {
    coordinator.start("m1", "long", T0);

    List<KeyValue<String, byte[]>> records = changelog.readKeyValuesToList();
    assertThat(records).extracting(kv -> kv.key).containsExactly("m1");
    assertThat(MissionStoreSerde.INSTANCE.decode(records.get(0).value)).isInstanceOfSatisfying(MissionHeader.class,
        h -> assertThat(h.getStagesOut()).extracting(StoredStage::getName).containsExactly("s0"));
    assertThat(coordinator.stored("m1").getStages()).hasSize(STAGES);
    assertThat(coordinator.storedStage("m1", "s0").getStatus()).isEqualTo(StageStatus.DISPATCHED);
    assertThat(coordinator.storedStage("m1", "s" + (STAGES - 1)).getStatus()).isEqualTo(StageStatus.WAITING);
  }

  @Test
  void aTransitionWritesTheStageItFinishedThenTheHeaderHoldingTheOneItDispatched() {
    coordinator.start("m1", "long", T0);
    changelog.readKeyValuesToList();

    coordinator.report("m1", "s0", 1, new ReportFinished(Map.of()), T0.plusSeconds(1));

    List<String> keys = new ArrayList<>();
    List<SpecificRecord> values = new ArrayList<>();
    changelog.readKeyValuesToList().forEach(kv -> {
      keys.add(kv.key);
      values.add(MissionStoreSerde.INSTANCE.decode(kv.value));
    });
    assertThat(keys).containsExactly(StageKeys.of("m1", "s0"), "m1");
    assertThat(values.get(0)).isInstanceOfSatisfying(StoredStage.class,
        s -> assertThat(s.getStatus()).isEqualTo(StageStatus.FINISHED));
    assertThat(values.get(1)).isInstanceOfSatisfying(MissionHeader.class, h -> {
      assertThat(h.getStagesOut()).singleElement().satisfies(s -> {
        assertThat(s.getName()).isEqualTo("s1");
        assertThat(s.getStatus()).isEqualTo(StageStatus.DISPATCHED);
      });
      assertThat(h.getSequence()).as("started, dispatched, then finished (no start reported), dispatched")
          .isEqualTo(4);
      assertThat(h.getStageCounts()).containsEntry("FINISHED", 1).containsEntry("DISPATCHED", 1)
          .containsEntry("WAITING", STAGES - 2).hasSize(3);
    });
  }

  @Test
  void aHeaderAnEarlierReleaseWroteHoldsNoStagesAndTheMissionGoesOnFromItsEntries() throws Exception {
    coordinator.start("m1", "long", T0);
    KeyValueStore<String, SpecificRecord> store = coordinator.driver.getKeyValueStore(CoordinatorTopology.MISSION_STORE);
    MissionHeader current = (MissionHeader) store.get("m1");
    StoredStage dispatched = current.getStagesOut().get(0);
    // As the release before MissionHeader v4 wrote it: the dispatched stage in an entry, a header without stagesOut.
    Schema v3 = new Schema.Parser().parse(getClass().getClassLoader().getResourceAsStream(SchemaHistory.resource("MissionHeader", 3)));
    GenericRecord older = new GenericData.Record(v3);
    v3.getFields().forEach(field -> older.put(field.name(), current.get(field.name())));
    older.put("status", new GenericData.EnumSymbol(v3.getField("status").schema(), current.getStatus().name()));
    GenericData withTimes = new GenericData();
    withTimes.addLogicalTypeConversion(new TimeConversions.TimestampMillisConversion());
    byte[] bytes = new BinaryMessageEncoder<GenericRecord>(withTimes, v3).encode(older).array();
    MissionHeader read = (MissionHeader) MissionStoreSerde.INSTANCE.decode(bytes);
    assertThat(read.getStagesOut()).isEmpty();
    store.put(StageKeys.of("m1", dispatched.getName()), dispatched);
    store.put("m1", read);

    coordinator.report("m1", "s0", 1, new ReportFinished(Map.of()), T0.plusSeconds(1));

    assertThat(coordinator.storedStage("m1", "s0").getStatus()).isEqualTo(StageStatus.FINISHED);
    assertThat(coordinator.storedStage("m1", "s1").getStatus()).isEqualTo(StageStatus.DISPATCHED);
    assertThat(((MissionHeader) store.get("m1")).getStagesOut()).extracting(StoredStage::getName).containsExactly("s1");
    assertThat(((StoredStage) store.get(StageKeys.of("m1", "s0"))).getStatus()).as("its entry overwritten")
        .isEqualTo(StageStatus.FINISHED);
  }

  @Test
  void aSmallMissionStaysOneRecordWrittenWholeAtEachTransition() {
    coordinator.start("m1", "diamond", T0);
    coordinator.report("m1", "extract", 1, new ReportFinished(Map.of()), T0.plusSeconds(1));

    List<KeyValue<String, byte[]>> records = changelog.readKeyValuesToList();
    assertThat(records).extracting(kv -> kv.key).containsExactly("m1", "m1");
    assertThat(MissionStoreSerde.INSTANCE.decode(records.get(1).value)).isInstanceOfSatisfying(MissionState.class,
        whole -> assertThat(whole.getStages()).hasSize(5));
    assertThat(coordinator.storedStage("m1", "extract").getStatus()).isEqualTo(StageStatus.FINISHED);
    assertThat(coordinator.storedStage("m1", "clean").getStatus()).isEqualTo(StageStatus.DISPATCHED);
    assertThat(coordinator.storedStage("m1", "train").getStatus()).isEqualTo(StageStatus.WAITING);
  }

  @Test
  void aLargeMissionStoredWholeByAnOlderReleaseGoesOnAndIsRewrittenInEntries() {
    // Another mission's start, stored whole under m1 as an older release did: this processor never wrote m1.
    coordinator.start("m0", "long", T0);
    MissionState whole = MissionState.newBuilder(coordinator.stored("m0")).setMissionId("m1").build();
    KeyValueStore<String, SpecificRecord> store = coordinator.driver.getKeyValueStore(CoordinatorTopology.MISSION_STORE);
    store.put("m1", whole);
    changelog.readKeyValuesToList();

    coordinator.report("m1", "s0", 1, new ReportFinished(Map.of()), T0.plusSeconds(1));

    assertThat(store.get("m1")).isInstanceOf(MissionHeader.class);
    List<String> keys = changelog.readKeyValuesToList().stream().map(kv -> kv.key).toList();
    assertThat(keys).as("every stage but s1, out and held by the header, then the header").hasSize(STAGES)
        .doesNotContain(StageKeys.of("m1", "s1")).endsWith("m1");
    assertThat(coordinator.storedStage("m1", "s0").getStatus()).isEqualTo(StageStatus.FINISHED);
    assertThat(coordinator.storedStage("m1", "s1").getStatus()).isEqualTo(StageStatus.DISPATCHED);
    assertThat(coordinator.storedStage("m1", "s2").getStatus()).isEqualTo(StageStatus.WAITING);
    assertThat(coordinator.stored("m1").getStages()).hasSize(STAGES);
    assertThat(coordinator.stored("m1").getStatus()).isEqualTo(MissionStatus.RUNNING);
  }

  @Test
  void aWholeMissionReadBackFromTheRecentlyWrittenIsTheOneTheStoreDecodes() {
    KeyValueStore<String, SpecificRecord> store = coordinator.driver.getKeyValueStore(CoordinatorTopology.MISSION_STORE);
    PlanVersions noPlans = (name, version) -> Optional.empty();
    Mission mission = aMissionWithEveryFieldSet();
    MissionStore writer = new MissionStore(store, noPlans, 8);

    writer.save(mission, true);
    Mission recent = writer.load("m9");
    Mission decoded = new MissionStore(store, noPlans, 0).load("m9");

    assertThat(store.get("m9")).as("written to the store as well").isInstanceOf(MissionState.class);
    assertThat(recent).isNotSameAs(decoded);
    assertThat(MissionStateCodec.toStored(recent)).isEqualTo(MissionStateCodec.toStored(decoded))
        .isEqualTo(store.get("m9"));
    recent.noReuse(false);
    assertThat(writer.load("m9").noReuse()).as("a change to a mission read back is not kept unless saved").isTrue();
  }

  private static Mission aMissionWithEveryFieldSet() {
    Instant at = T0.plusMillis(1_234);
    return Mission.restore("m9", "diamond", "v3", MissionStatus.FAILED, Map.of("date", "2026-12-03"), 17, T0,
        at, "stage 'train' failed", List.of(
            Stage.restore("extract", StageStatus.FINISHED, 2, "w-1", Map.of("rows", "42"), null, at, "hash-1",
                new ReusedFrom("m0", "extract", T0), false),
            Stage.restore("train", StageStatus.FAILED, 3, "w-2", Map.of(), new StageError("boom", "trace", false), at,
                null, null, true),
            Stage.restore("split", StageStatus.RUNNING, 1, null, Map.of(), null, at)
                .restoredFanOut(null, new FanOut(4, 3, 2, 1, 0)),
            Stage.restore("split#2", StageStatus.DISPATCHED, 1, null, Map.of(), null, at)
                .restoredFanOut("[\"a\",\"b\"]", null)))
        .noReuse(true).restoredPriority(7).restoredAdmissionAsk(3);
  }

  @Test
  void aMissionEndedForgottenOrWrittenInEntriesIsNotReadBackFromTheRecentlyWritten() {
    KeyValueStore<String, SpecificRecord> store = coordinator.driver.getKeyValueStore(CoordinatorTopology.MISSION_STORE);
    MissionStore missions = new MissionStore(store, (name, version) -> Optional.empty(), 8);
    Mission small = Mission.restore("m1", "diamond", "v1", MissionStatus.RUNNING, Map.of(), 1, T0, T0, null,
        List.of(Stage.restore("extract", StageStatus.DISPATCHED, 1, null, Map.of(), null, T0)));
    missions.save(small, true);

    missions.forget("m1");
    assertThat(missions.load("m1")).isNull();

    missions.save(small, true);
    Mission ended = Mission.restore("m1", "diamond", "v1", MissionStatus.FINISHED, Map.of(), 2, T0, T0, null,
        List.of(Stage.restore("extract", StageStatus.FINISHED, 1, null, Map.of(), null, T0)));
    missions.save(ended, false);
    store.put("m1", MissionStateCodec.toStored(small));
    assertThat(missions.load("m1").status()).as("an ended mission is read from the store").isEqualTo(MissionStatus.RUNNING);

    missions.save(small, true);
    List<Stage> many = new ArrayList<>();
    for (int i = 0; i <= MissionStore.WHOLE_MAX_STAGES; i++) {
      many.add(Stage.restore("s" + i, StageStatus.DISPATCHED, 1, null, Map.of(), null, T0));
    }
    missions.save(Mission.restore("m1", "diamond", "v1", MissionStatus.RUNNING, Map.of(), 2, T0, T0, null, many), false);
    assertThat(store.get("m1")).isInstanceOf(MissionHeader.class);
    assertThat(missions.load("m1").readsStagesOnDemand()).as("read from the header and entries").isTrue();
  }

  @Test
  void aMissionIdWithAControlCharacterIsRefused() {
    coordinator.start("a\u0000b", "diamond", T0);

    List<MissionEvent> events = coordinator.events.readValuesToList();
    assertThat(events).singleElement().satisfies(e -> {
      assertThat(e.getSequence()).isZero();
      assertThat(e.getEvent()).isInstanceOfSatisfying(InputRejected.class, r -> assertThat(r.getReason())
          .isEqualTo("Expected a mission id of 1 to 200 letters, digits or any of ._~:@+-, but got 'a\\u0000b'"));
    });
    assertThat(coordinator.stored("a")).isNull();
  }

  /** The API could not serve these back; started from the CLI or a raw record they were stuck unreadable. */
  @Test
  void aMissionIdTheApiCouldNotServeIsRefused() {
    List<String> ids = List.of("a/b", "50%", "..", "a b", "x".repeat(201));
    ids.forEach(id -> coordinator.start(id, "diamond", T0));

    List<MissionEvent> events = coordinator.events.readValuesToList();
    assertThat(events).hasSize(ids.size()).allSatisfy(e -> assertThat(e.getEvent()).isInstanceOfSatisfying(
        InputRejected.class, r -> {
          assertThat(r.getReasonCode()).isEqualTo(RejectionReason.INVALID_INPUT);
          assertThat(r.getReason()).startsWith("Expected a mission id of 1 to 200 letters");
        }));
    ids.forEach(id -> assertThat(coordinator.stored(id)).as(id).isNull());
    coordinator.start("k.plan~x:y@z+1_2-3", "diamond", T0);
    assertThat(coordinator.stored("k.plan~x:y@z+1_2-3")).isNotNull();
  }
}
