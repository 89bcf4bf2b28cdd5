package io.groundcontrol.limits;

import io.groundcontrol.coordinator.AnsweringProcessor;
import io.groundcontrol.coordinator.CoordinatorTopics;
import io.groundcontrol.coordinator.LatestPlans;
import io.groundcontrol.schema.AdmissionEntry;
import io.groundcontrol.schema.wire.AvroSerde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * The mission-limits sub-topology, keyed by plan name: {@code max_active_missions}.
 *
 * <pre>
 *   MISSIONS ─► mission-admission-requests (by plan) ─► mission-limits (stores: mission-limit-entries,
 *      ▲                                                  mission-limit-queue, mission-limit-counts;
 *      │                                                  punctuation: re-reads limits)
 *      └────────── mission-admissions (by mission id) ◄────┘
 * </pre>
 *
 * <p>Why its own: missions are partitioned by mission id, and a limit spans every mission of a
 * plan, so the count and the queue live where the plan's asks and ends meet. Only missions of
 * limited plans pass here: two more transactional hops before their first stage (ask, answer);
 * every other start keeps its one hop.
 */
public final class MissionLimitsTopology {
  /** Missions waiting for or holding a place, by plan and mission. */
  public static final String ENTRIES_STORE = "mission-limit-entries";
  /** Waiting missions in admission order. */
  public static final String QUEUE_STORE = "mission-limit-queue";
  /** Active and waiting missions per plan. */
  public static final String COUNTS_STORE = "mission-limit-counts";
  static final String SOURCE = "mission-admission-requests-source";
  static final String PROCESSOR = "mission-limits";
  static final String ANSWERS_SINK = "mission-admissions-sink";

  /** The store and sink names of the processor. */
  record Names(String entries, String queue, String counts, String plans, String answersSink) {}

  private MissionLimitsTopology() {}

  /**
   * Adds the sub-topology to {@code topology}.
   *
   * @param planStore the name of the global store of plans (latest under the plan name)
   * @param latestPlans what that store holds under each plan name, kept by its updater
   */
  public static void addTo(Topology topology, CoordinatorTopics topics, String planStore, LatestPlans latestPlans) {
    topology.addSource(SOURCE, topics.missionAdmissionRequests().keySerde().deserializer(),
        topics.missionAdmissionRequests().valueSerde().deserializer(), topics.missionAdmissionRequests().name());
    Names names = new Names(ENTRIES_STORE, QUEUE_STORE, COUNTS_STORE, planStore, ANSWERS_SINK);
    topology.addProcessor(
        PROCESSOR, AnsweringProcessor.around(() -> new MissionLimitsProcessor(names, latestPlans)), SOURCE);
    topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(ENTRIES_STORE), Serdes.String(),
        AvroSerde.of(AdmissionEntry.class)), PROCESSOR);
    topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(QUEUE_STORE), Serdes.String(),
        Serdes.String()), PROCESSOR);
    topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(COUNTS_STORE), Serdes.String(),
        Serdes.Long()), PROCESSOR);
    topology.addSink(ANSWERS_SINK, topics.missionAdmissions().name(), topics.missionAdmissions().keySerde().serializer(),
        topics.missionAdmissions().valueSerde().serializer(), PROCESSOR);
  }
}
