package io.groundcontrol.coordinator;

import io.groundcontrol.admission.AdmissionProcessor;
import io.groundcontrol.limits.MissionLimitsTopology;
import io.groundcontrol.query.MissionIndex;
import io.groundcontrol.results.ResultsTopology;
import io.groundcontrol.schedule.ScheduledMissionEvents;
import io.groundcontrol.schedule.SchedulerTopology;
import io.groundcontrol.schema.AdmissionEntry;
import io.groundcontrol.schema.MissionCommand;
import io.groundcontrol.schema.Plan;
import io.groundcontrol.schema.StageReport;
import io.groundcontrol.schema.wire.AvroSerde;
import io.groundcontrol.trigger.TriggerTopology;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyConfig;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.state.Stores;

/**
 * The coordinator's topology, a pure function of its topics. Sub-topologies, each keyed by what its
 * rules span:
 *
 * <pre>
 *   mission-commands ─┐                                                           ┌─► mission-events (+ scheduled-mission-events)
 *   stage-reports ────┤                                                           ├─► instructions.&lt;component&gt;  (uncapped: direct)
 *   results-answers ──┼─► MISSIONS, by mission id (stores: missions, timers,     ├─► results-requests (stages with reuse)
 *   admission-grants ─┘   mission-index, liveness, parked-starts, slot-leases)   └─► admission-requests (capped components)
 *          ▲    ▲                                                                        │          │
 *          │    └──────── RESULTS, by result key (store: results) ◄──────────────────────┘          │
 *          └──────────── ADMISSION, by component (stores: admission-entries, ◄──────────────────────┘
 *                        admission-queue, admission-counts; punctuation: caps) ─► component-status
 *                        └─► instructions.&lt;component&gt; (capped: RUN with the grant, CANCEL on a late withdrawal)
 *   plans ─► global store: plans          components ─► global store: components (caps, plan weights)
 *
 *   + mission limits, keyed by plan name: max_active_missions ({@link MissionLimitsTopology}),
 *     between the missions' mission-admission-requests and mission-admissions
 *   + the scheduler's sub-topologies, keyed by schedule name ({@link SchedulerTopology})
 *   + event triggers, from user topics to mission-commands ({@link TriggerTopology})
 * </pre>
 *
 * <p>Only stages with a reuse policy pass through the results sub-topology ({@link ResultsTopology}).
 * A ready stage with reuse asks the results index first; if it has to run and its component is
 * capped, it then queues for a slot.
 *
 * <p>Why admission is its own: a cap spans every mission of a component, and missions are
 * partitioned by mission id, so the queue and the leases live where the component's requests meet,
 * reached through {@code admission-requests}. Under exactly-once every transactional hop costs a
 * commit before the next step can read it: an uncapped stage keeps its one hop (decision to
 * instruction); a capped one pays two: the request, then the grant, which the admission writes
 * in one transaction with the instruction to the workers (the mission records the dispatch when the
 * grant comes back, or when a worker's report overtakes it). Far below its cap, a component's
 * slots are leased to the missions' partitions and handed on there from attempt to attempt
 * ({@link SlotLeases}, store slot-leases): a capped stage then takes one hop too.
 *
 * <p>The missions processor also writes to its own inputs, once per task start: a
 * {@link RestartBarrier} on its partition of each, so that timers wait for the backlog.
 */
public final class CoordinatorTopology {
  /** Mission headers and stage entries ({@link MissionStore}), persistent, changelogged. */
  public static final String MISSION_STORE = "missions";
  /** Due timers, ordered by due time: retries, timeouts, liveness checks. */
  public static final String TIMER_STORE = "timers";
  /** Last sign of life of each running attempt's worker. */
  public static final String LIVENESS_STORE = "liveness";
  /** Start commands waiting for their plan to reach the plan store. */
  public static final String PARKED_STORE = "parked-starts";
  /** Plan key to {@code Plan}, global: every instance holds every plan. */
  public static final String PLAN_STORE = "plans";
  /** Component name to {@code ComponentSettings}, global: every instance sees every cap. */
  public static final String COMPONENT_STORE = "components";
  /** Slots leased to a missions partition and the attempts holding them: see {@link SlotLeases}. */
  public static final String SLOT_LEASE_STORE = "slot-leases";
  /** Attempts queued for or holding a slot, by component, mission, stage, attempt. */
  public static final String ADMISSION_ENTRIES_STORE = "admission-entries";
  /** Queued attempts in grant order. */
  public static final String ADMISSION_QUEUE_STORE = "admission-queue";
  /** Slots held and requests queued, per component and plan. */
  public static final String ADMISSION_COUNTS_STORE = "admission-counts";

  static final String COMMANDS_SOURCE = "mission-commands";
  static final String REPORTS_SOURCE = "stage-reports";
  static final String GRANTS_SOURCE = "admission-grants";
  static final String ADMISSIONS_SOURCE = "mission-admissions";
  static final String MISSION_ADMISSION_REQUESTS_SINK = "mission-admission-requests";
  static final String MISSIONS_PROCESSOR = "missions";
  static final String EVENTS_SINK = "mission-events";
  /** The start and end events of scheduled missions, to their schedule: see {@link ScheduledMissionEvents}. */
  static final String SCHEDULED_EVENTS_SINK = "scheduled-mission-events";
  static final String INSTRUCTIONS_SINK = "instructions";
  static final String RESULT_ANSWERS_SOURCE = "results-answers";
  static final String RESULT_REQUESTS_SINK = "results-requests";
  static final String BARRIER_SINK = "restart-barriers";
  static final String REQUESTS_SINK = "admission-requests";
  static final String REQUESTS_SOURCE = "admission-requests-source";
  static final String ADMISSION_PROCESSOR = "admission";
  static final String GRANTS_SINK = "admission-grants-sink";
  static final String ADMISSION_INSTRUCTIONS_SINK = "admission-instructions";
  static final String STATUS_SINK = "component-status";
  /** Back to the input topic a record came from, on the partition of its key: see {@link InputRouting}. */
  static final String REROUTE_SINK = "rerouted-inputs";

  private CoordinatorTopology() {}

  /**
   * Builds the topology for {@code config}. Its Kafka Streams settings go into the topology's own
   * config too, so per-topology settings such as the error handlers see the dead-letter topic.
   */
  public static Topology build(CoordinatorConfig config) {
    return build(config, Set.of());
  }

  /**
   * Builds the topology for {@code config}, reading event triggers from {@code triggerTopics}
   * (topics that exist; see {@link TriggerTopology} for how the set follows the applied triggers).
   */
  public static Topology build(CoordinatorConfig config, Set<String> triggerTopics) {
    return build(config, triggerTopics, Map.of());
  }

  /**
   * As {@link #build(CoordinatorConfig, Set)}, with the input partition counts {@link InputRouting}
   * checks against in {@code routing} (the app config {@link Coordinator#start} writes).
   */
  static Topology build(CoordinatorConfig config, Set<String> triggerTopics, Map<?, ?> routing) {
    CoordinatorTopics topics = new CoordinatorTopics(config.topics());
    Topology topology = new Topology(new TopologyConfig(new StreamsConfig(config.streamsProperties())));
    LatestPlans latestPlans = new LatestPlans();
    topology.addGlobalStore(
        Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(PLAN_STORE), Serdes.String(), topics.plans().valueSerde())
            .withLoggingDisabled(),
        "plans-source",
        topics.plans().keySerde().deserializer(),
        topics.plans().valueSerde().deserializer(),
        topics.plans().name(),
        "plans-updater",
        () -> new GlobalStoreUpdater<Plan>(PLAN_STORE, "a plan name or name@version", latestPlans::stored));
    topology.addGlobalStore(
        Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(COMPONENT_STORE), Serdes.String(), topics.components().valueSerde())
            .withLoggingDisabled(),
        "components-source",
        topics.components().keySerde().deserializer(),
        topics.components().valueSerde().deserializer(),
        topics.components().name(),
        "components-updater",
        () -> new GlobalStoreUpdater<>(COMPONENT_STORE, "a component name"));
    addMissions(topology, topics, config, latestPlans, routing);
    SchedulerTopology.addTo(topology, topics);
    TriggerTopology.addTo(topology, topics);
    ResultsTopology.addTo(topology, topics.names().resultsRequests(), topics.names().resultsAnswers(),
        config.limits().resultsRetention(), latestPlans);
    addAdmission(topology, topics, routing);
    MissionLimitsTopology.addTo(topology, topics, PLAN_STORE, latestPlans);
    // Last: whether it exists must not renumber the others (see TriggerTopology.addSources).
    TriggerTopology.addSources(topology, topics, triggerTopics);
    return topology;
  }

  private static void addMissions(
      Topology topology, CoordinatorTopics topics, CoordinatorConfig config, LatestPlans latestPlans,
      Map<?, ?> routing) {
    topology.addSource(
        COMMANDS_SOURCE, topics.commands().keySerde().deserializer(), topics.commands().valueSerde().deserializer(),
        topics.commands().name());
    topology.addSource(
        REPORTS_SOURCE, topics.reports().keySerde().deserializer(), topics.reports().valueSerde().deserializer(),
        topics.reports().name());
    topology.addSource(
        RESULT_ANSWERS_SOURCE, Serdes.String().deserializer(), ResultsTopology.ANSWER.deserializer(),
        topics.names().resultsAnswers());
    topology.addSource(
        GRANTS_SOURCE, topics.admissionGrants().keySerde().deserializer(),
        topics.admissionGrants().valueSerde().deserializer(), topics.admissionGrants().name());
    topology.addSource(
        ADMISSIONS_SOURCE, topics.missionAdmissions().keySerde().deserializer(),
        topics.missionAdmissions().valueSerde().deserializer(), topics.missionAdmissions().name());
    List<String> inputs = List.of(topics.commands().name(), topics.reports().name());
    topology.addProcessor(
        MISSIONS_PROCESSOR, () -> new MissionProcessor(CompiledPlan::of, latestPlans, config.limits(), inputs),
        COMMANDS_SOURCE, REPORTS_SOURCE, RESULT_ANSWERS_SOURCE, GRANTS_SOURCE, ADMISSIONS_SOURCE);
    topology.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(MISSION_STORE), Serdes.String(), MissionStoreSerde.INSTANCE),
        MISSIONS_PROCESSOR);
    topology.addStateStore(MissionIndex.storeBuilder(), MISSIONS_PROCESSOR);
    topology.addStateStore(
        Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(TIMER_STORE), Serdes.String(), Serdes.String()),
        MISSIONS_PROCESSOR);
    topology.addStateStore(
        Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(LIVENESS_STORE), Serdes.String(), Serdes.String()),
        MISSIONS_PROCESSOR);
    topology.addStateStore(
        Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(SLOT_LEASE_STORE), Serdes.String(), Serdes.String()),
        MISSIONS_PROCESSOR);
    topology.addStateStore(
        Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(PARKED_STORE), Serdes.String(), topics.commands().valueSerde()),
        MISSIONS_PROCESSOR);
    topology.addSink(
        EVENTS_SINK, topics.events().name(), topics.events().keySerde().serializer(),
        topics.events().valueSerde().serializer(), MISSIONS_PROCESSOR);
    topology.addSink(
        SCHEDULED_EVENTS_SINK, topics.scheduledMissionEvents().name(), Serdes.String().serializer(),
        topics.scheduledMissionEvents().valueSerde().serializer(), MISSIONS_PROCESSOR);
    topology.addSink(
        INSTRUCTIONS_SINK,
        new InstructionTopics(topics.names(), InstructionTopicWatch.routedTo(routing)),
        Serdes.String().serializer(),
        CoordinatorTopics.INSTRUCTION.serializer(),
        MISSIONS_PROCESSOR);
    topology.addSink(
        BARRIER_SINK, RestartBarrier.TOPIC, Serdes.String().serializer(), RestartBarrier.VALUE, RestartBarrier.PARTITION,
        MISSIONS_PROCESSOR);
    topology.addSink(
        REROUTE_SINK,
        (key, value, recordContext) -> recordContext.topic(),
        Serdes.String().serializer(),
        inputSerializer(topics),
        InputRouting.reroutePartitioner(routing),
        MISSIONS_PROCESSOR);
    topology.addSink(
        RESULT_REQUESTS_SINK, topics.names().resultsRequests(), Serdes.String().serializer(),
        ResultsTopology.REQUEST.serializer(), MISSIONS_PROCESSOR);
    topology.addSink(
        REQUESTS_SINK, topics.admissionRequests().name(), topics.admissionRequests().keySerde().serializer(),
        topics.admissionRequests().valueSerde().serializer(), MISSIONS_PROCESSOR);
    topology.addSink(
        MISSION_ADMISSION_REQUESTS_SINK, topics.missionAdmissionRequests().name(),
        topics.missionAdmissionRequests().keySerde().serializer(),
        topics.missionAdmissionRequests().valueSerde().serializer(), MISSIONS_PROCESSOR);
  }

  private static void addAdmission(Topology topology, CoordinatorTopics topics, Map<?, ?> routing) {
    topology.addSource(
        REQUESTS_SOURCE, topics.admissionRequests().keySerde().deserializer(),
        topics.admissionRequests().valueSerde().deserializer(), topics.admissionRequests().name());
    AdmissionProcessor.Names names = new AdmissionProcessor.Names(ADMISSION_ENTRIES_STORE, ADMISSION_QUEUE_STORE,
        ADMISSION_COUNTS_STORE, COMPONENT_STORE, GRANTS_SINK, ADMISSION_INSTRUCTIONS_SINK, STATUS_SINK);
    topology.addProcessor(ADMISSION_PROCESSOR, AnsweringProcessor.around(() -> new AdmissionProcessor(names)),
        REQUESTS_SOURCE);
    topology.addStateStore(
        Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(ADMISSION_ENTRIES_STORE), Serdes.String(),
            AvroSerde.of(AdmissionEntry.class)),
        ADMISSION_PROCESSOR);
    topology.addStateStore(
        Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(ADMISSION_QUEUE_STORE), Serdes.String(), Serdes.String()),
        ADMISSION_PROCESSOR);
    topology.addStateStore(
        Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(ADMISSION_COUNTS_STORE), Serdes.String(), Serdes.Long()),
        ADMISSION_PROCESSOR);
    topology.addSink(
        GRANTS_SINK, topics.admissionGrants().name(), topics.admissionGrants().keySerde().serializer(),
        topics.admissionGrants().valueSerde().serializer(), ADMISSION_PROCESSOR);
    topology.addSink(
        ADMISSION_INSTRUCTIONS_SINK, new InstructionTopics(topics.names(), InstructionTopicWatch.routedTo(routing)),
        Serdes.String().serializer(),
        CoordinatorTopics.INSTRUCTION.serializer(), ADMISSION_PROCESSOR);
    topology.addSink(
        STATUS_SINK, topics.componentStatus().name(), topics.componentStatus().keySerde().serializer(),
        topics.componentStatus().valueSerde().serializer(), ADMISSION_PROCESSOR);
  }

  /**
   * The topics {@code topology}'s sub-topologies read (global stores' topics left out): what its
   * stream threads count as processed records.
   */
  public static Set<String> inputTopics(Topology topology) {
    Set<String> inputs = new TreeSet<>();
    for (TopologyDescription.Subtopology subtopology : topology.describe().subtopologies()) {
      for (TopologyDescription.Node node : subtopology.nodes()) {
        if (node instanceof TopologyDescription.Source source && source.topicSet() != null) {
          inputs.addAll(source.topicSet());
        }
      }
    }
    return inputs;
  }

  /** Writes a report or a command, whichever it is given. */
  private static Serializer<Object> inputSerializer(CoordinatorTopics topics) {
    Serializer<StageReport> reports = topics.reports().valueSerde().serializer();
    Serializer<MissionCommand> commands = topics.commands().valueSerde().serializer();
    return (topic, value) -> value instanceof StageReport report
        ? reports.serialize(topic, report)
        : commands.serialize(topic, (MissionCommand) value);
  }
}
