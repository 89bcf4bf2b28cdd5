package io.groundcontrol.schedule;

import io.groundcontrol.coordinator.CoordinatorTopics;
import io.groundcontrol.schema.ScheduleState;
import io.groundcontrol.schema.wire.AvroSerde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * The scheduler's sub-topology, keyed by schedule name:
 *
 * <pre>
 *   schedules (compacted) ───────┐
 *   schedule-commands ───────────┼─► scheduler (store: schedule-states) ─┬─► schedule-events
 *   scheduled-mission-events ────┘     ▲ wall-clock punctuation          └─► mission-commands
 *          ▲                                                                   (mission id = schedule + nominal time)
 *   MISSIONS: the start and end events of scheduled missions ({@link ScheduledMissionEvents}), keyed by schedule
 * </pre>
 *
 * A fire costs one hop to the missions sub-topology, the same as a start from the CLI. Learning
 * that a mission ended costs one more, which only overlap decisions wait for.
 */
public final class SchedulerTopology {
  /** Each schedule's definition, handled fires, pause and last mission. */
  public static final String STATE_STORE = "schedule-states";
  static final String EVENTS_SINK = "schedule-events";
  static final String COMMANDS_SINK = "scheduled-mission-commands";

  private SchedulerTopology() {}

  /** Adds the scheduler's sub-topology to {@code topology}. */
  public static void addTo(Topology topology, CoordinatorTopics topics) {
    topology.addSource("schedules-source", topics.schedules().keySerde().deserializer(),
        topics.schedules().valueSerde().deserializer(), topics.schedules().name());
    topology.addSource("schedule-commands-source", topics.scheduleCommands().keySerde().deserializer(),
        topics.scheduleCommands().valueSerde().deserializer(), topics.scheduleCommands().name());
    topology.addSource("scheduled-mission-status-source", topics.scheduledMissionEvents().keySerde().deserializer(),
        topics.scheduledMissionEvents().valueSerde().deserializer(), topics.scheduledMissionEvents().name());
    topology.addProcessor("scheduler", () -> new SchedulerProcessor(topics.schedules().name()),
        "schedules-source", "schedule-commands-source", "scheduled-mission-status-source");
    topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STATE_STORE), Serdes.String(),
        AvroSerde.of(ScheduleState.class)), "scheduler");
    topology.addSink(EVENTS_SINK, topics.scheduleEvents().name(), Serdes.String().serializer(),
        topics.scheduleEvents().valueSerde().serializer(), "scheduler");
    topology.addSink(COMMANDS_SINK, topics.commands().name(), Serdes.String().serializer(),
        topics.commands().valueSerde().serializer(), "scheduler");
  }
}
