package io.groundcontrol.coordinator;

import io.groundcontrol.schema.Actor;
import io.groundcontrol.schema.AdmissionRequest;
import io.groundcontrol.schema.ComponentSettings;
import io.groundcontrol.schema.ComponentStatus;
import io.groundcontrol.schema.ActorKind;
import io.groundcontrol.schema.MissionCommand;
import io.groundcontrol.schema.MissionEvent;
import io.groundcontrol.schema.MissionState;
import io.groundcontrol.schema.StoredStage;
import org.apache.avro.specific.SpecificRecord;
import io.groundcontrol.schema.Plan;
import io.groundcontrol.schema.StageInstruction;
import io.groundcontrol.schema.StageReport;
import io.groundcontrol.schema.StartMission;
import io.groundcontrol.schema.wire.TopicNames;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;

/** The coordinator's topology in a {@link TopologyTestDriver}, with its topics at hand. */
final class CoordinatorDriver implements AutoCloseable {
  static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
  static final Actor ANN = new Actor(ActorKind.USER, "ann", null);
  static final Actor WORKER = new Actor(ActorKind.WORKER, "w-1", "h1");

  final CoordinatorTopics topics = new CoordinatorTopics(TopicNames.DEFAULT);
  final CoordinatorConfig config;
  final TopologyTestDriver driver;
  final TestInputTopic<String, Plan> plans;
  final TestInputTopic<String, MissionCommand> commands;
  final TestInputTopic<String, StageReport> reports;
  final TestInputTopic<String, byte[]> rawCommands;
  final TestOutputTopic<String, MissionEvent> events;
  final TestInputTopic<String, ComponentSettings> components;
  final TestOutputTopic<String, ComponentStatus> componentStatus;
  final TestOutputTopic<String, AdmissionRequest> admissionRequests;
  /** Requests written straight to the admission sub-topology, as a mission would: for crossings no driver run shows. */
  final TestInputTopic<String, AdmissionRequest> admissionRequestsIn;

  /** A driver whose wall clock starts at {@link #T0}. */
  CoordinatorDriver(Path stateDir) {
    this(stateDir, Map.of());
  }

  /** A driver with further app configs, such as the input partition counts of {@link InputRouting}. */
  CoordinatorDriver(Path stateDir, Map<String, Object> appConfigs) {
    this(CoordinatorConfig.defaults("unused:9092", stateDir), appConfigs);
  }

  /** A driver for {@code config}, whose wall clock starts at {@link #T0}. */
  CoordinatorDriver(CoordinatorConfig config) {
    this(config, Map.of());
  }

  private CoordinatorDriver(CoordinatorConfig config, Map<String, Object> appConfigs) {
    this.config = config;
    Properties properties = config.streamsProperties();
    properties.putAll(appConfigs);
    driver = new TopologyTestDriver(CoordinatorTopology.build(config), properties, T0);
    StringSerializer keys = new StringSerializer();
    plans = driver.createInputTopic(topics.plans().name(), keys, topics.plans().valueSerde().serializer());
    commands = driver.createInputTopic(topics.commands().name(), keys, topics.commands().valueSerde().serializer());
    reports = driver.createInputTopic(topics.reports().name(), keys, topics.reports().valueSerde().serializer());
    rawCommands = driver.createInputTopic(topics.commands().name(), keys, new ByteArraySerializer());
    events = driver.createOutputTopic(topics.events().name(), new StringDeserializer(), topics.events().valueSerde().deserializer());
    components = driver.createInputTopic(topics.components().name(), keys, topics.components().valueSerde().serializer());
    componentStatus = driver.createOutputTopic(topics.componentStatus().name(), new StringDeserializer(),
        topics.componentStatus().valueSerde().deserializer());
    admissionRequests = driver.createOutputTopic(topics.admissionRequests().name(), new StringDeserializer(),
        topics.admissionRequests().valueSerde().deserializer());
    admissionRequestsIn = driver.createInputTopic(topics.admissionRequests().name(), keys,
        topics.admissionRequests().valueSerde().serializer());
  }

  TestOutputTopic<String, StageInstruction> instructions(String component) {
    return driver.createOutputTopic(
        topics.names().instructions(component), new StringDeserializer(), CoordinatorTopics.INSTRUCTION.deserializer());
  }

  void apply(Plan plan) {
    plans.pipeInput(plan.getName(), plan, T0);
    plans.pipeInput(PlanKeys.versioned(plan.getName(), plan.getVersion()), plan, T0);
  }

  void command(String missionId, Object command, Instant at) {
    commands.pipeInput(missionId, new MissionCommand(missionId, ANN, at, command), at);
  }

  void start(String missionId, String plan, Instant at) {
    start(missionId, plan, 0, at);
  }

  void start(String missionId, String plan, int priority, Instant at) {
    command(missionId, new StartMission(plan, Map.of(), List.of(), List.of(), false, priority), at);
  }

  /** Caps {@code component} at {@code maxRunning} (null: no cap), as {@code component apply} does. */
  void cap(String component, Integer maxRunning, Instant at) {
    components.pipeInput(component, new ComponentSettings(component, maxRunning, Map.of()), at);
  }

  void report(String missionId, String stage, int attempt, Object outcome, Instant at) {
    reports.pipeInput(missionId, new StageReport(missionId, stage, attempt, WORKER, at, outcome), at);
  }

  /** A report as a paced audit replay writes it: marked {@link ReplayedInput#HEADER}. */
  void replayedReport(String missionId, String stage, int attempt, Object outcome, Instant at) {
    RecordHeaders headers = new RecordHeaders();
    headers.add(ReplayedInput.HEADER, new byte[0]);
    reports.pipeInput(new TestRecord<>(missionId, new StageReport(missionId, stage, attempt, WORKER, at, outcome), headers, at));
  }

  /** Moves the wall clock, firing the punctuations due on the way. */
  void advanceWallClock(Duration duration) {
    driver.advanceWallClockTime(duration);
  }

  MissionState stored(String missionId) {
    KeyValueStore<String, SpecificRecord> store = driver.getKeyValueStore(CoordinatorTopology.MISSION_STORE);
    KeyValueStore<String, Plan> plans = driver.getKeyValueStore(CoordinatorTopology.PLAN_STORE);
    return MissionStore.assemble(store, missionId,
        (name, version) -> Optional.ofNullable(plans.get(PlanKeys.versioned(name, version))).map(CompiledPlan::of));
  }

  /** The stored stage {@code stage} of mission {@code missionId}. */
  StoredStage storedStage(String missionId, String stage) {
    return stored(missionId).getStages().stream().filter(s -> s.getName().equals(stage)).findFirst().orElseThrow();
  }

  /** The keys of store {@code name}, in its order, NUL shown as '/'. */
  List<String> storeKeys(String name) {
    KeyValueStore<String, Object> store = driver.getKeyValueStore(name);
    List<String> keys = new ArrayList<>();
    try (KeyValueIterator<String, Object> all = store.all()) {
      all.forEachRemaining(e -> keys.add(e.key.replace('\u0000', '/')));
    }
    return keys;
  }

  /** The records written so far to the changelog of store {@code name}, values as bytes. */
  List<KeyValue<String, byte[]>> changelog(String name) {
    return driver.createOutputTopic(config.applicationId() + "-" + name + "-changelog",
        new StringDeserializer(), new ByteArrayDeserializer()).readKeyValuesToList();
  }

  /** "key=null" or "key=value" for the last record of each key, NUL shown as '/'. */
  static List<String> lastValueByKey(List<KeyValue<String, byte[]>> records) {
    Map<String, byte[]> last = new LinkedHashMap<>();
    records.forEach(kv -> last.put(kv.key.replace('\u0000', '/'), kv.value));
    List<String> out = new ArrayList<>();
    last.forEach((key, value) -> out.add(key + "=" + (value == null ? "null" : "value")));
    return out;
  }

  /** Simple names of the event kinds written since the last call. */
  List<String> newEventKinds() {
    return events.readValuesToList().stream().map(e -> e.getEvent().getClass().getSimpleName()).toList();
  }

  @Override
  public void close() {
    driver.close();
  }
}
