package io.groundcontrol.trigger;

import io.groundcontrol.coordinator.CoordinatorTopics;
import io.groundcontrol.coordinator.GlobalStoreUpdater;
import io.groundcontrol.schema.Trigger;
import io.groundcontrol.schema.TriggerBatchState;
import io.groundcontrol.schema.wire.AvroSerde;
import java.util.Set;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * The event-trigger sub-topology:
 *
 * <pre>
 *   triggers (compacted) ─► global store: triggers
 *   &lt;trigger topics&gt; ─► triggers ─┬─► mission-commands (mission id = trigger + key)
 *                                  ├─► dead-letters (with the reason)
 *                                  └─► trigger-matches (by trigger; dedup window or batch)
 *   trigger-matches ─► trigger-gate (stores: trigger-gate-marks, trigger-gate-batches;
 *                       punctuation closes batch windows, sweeps dead marks) ─► mission-commands
 * </pre>
 *
 * Only triggers with a dedup window or a batch pay the gate's extra hop; the rest go straight to
 * the missions, which dedup by mission id for ever.
 *
 * A Kafka Streams topology's source topics are fixed when it is built, so the coordinator builds
 * it with the topics of the triggers applied (and existing) when it starts, and rebuilds and
 * restarts its streams when that set changes ({@code TriggerTopicWatcher}).
 */
public final class TriggerTopology {
  /** Trigger name to {@code Trigger}, global: every instance holds every trigger. */
  public static final String TRIGGER_STORE = "triggers";
  /**
   * Per trigger and key, when its dedup window began, until a sweep finds it dead ({@link
   * TriggerGate#deadMark}); per trigger, its next batch number, kept.
   */
  public static final String GATE_MARKS_STORE = "trigger-gate-marks";
  /** Per trigger, its open batch. */
  public static final String GATE_BATCHES_STORE = "trigger-gate-batches";
  static final String COMMANDS_SINK = "triggered-mission-commands";
  static final String GATE_SINK = "trigger-matches-sink";
  static final String GATE_COMMANDS_SINK = "gated-mission-commands";
  static final String DEAD_LETTER_SINK = "trigger-dead-letters";

  private TriggerTopology() {}

  /**
   * Adds the trigger store and the gate: the parts present whatever the trigger topics. Add the
   * sub-topology reading those topics with {@link #addSources} after every other sub-topology.
   */
  public static void addTo(Topology topology, CoordinatorTopics topics) {
    topology.addGlobalStore(
        Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(TRIGGER_STORE), Serdes.String(),
            topics.triggers().valueSerde()).withLoggingDisabled(),
        "triggers-source",
        topics.triggers().keySerde().deserializer(),
        topics.triggers().valueSerde().deserializer(),
        topics.triggers().name(),
        "triggers-updater",
        () -> new GlobalStoreUpdater<Trigger>(TRIGGER_STORE, "a trigger name"));
    addGate(topology, topics);
  }

  /**
   * Adds the sub-topology reading {@code triggerTopics}, if there are any. Sub-topologies are
   * numbered in the order they are added, and a task's id (its state directory, checkpoint and
   * standbys) is that number and a partition: added last, this one coming or going leaves every
   * other sub-topology's tasks where they were.
   */
  public static void addSources(Topology topology, CoordinatorTopics topics, Set<String> triggerTopics) {
    if (triggerTopics.isEmpty()) {
      return;
    }
    topology.addSource("trigger-topics", new ByteArrayDeserializer(), new ByteArrayDeserializer(),
        triggerTopics.stream().sorted().toArray(String[]::new));
    topology.addProcessor("triggers", TriggerProcessor::new, "trigger-topics");
    topology.addSink(COMMANDS_SINK, topics.commands().name(), Serdes.String().serializer(),
        topics.commands().valueSerde().serializer(), "triggers");
    topology.addSink(DEAD_LETTER_SINK, topics.names().deadLetters(), new ByteArraySerializer(),
        new ByteArraySerializer(), "triggers");
    topology.addSink(GATE_SINK, topics.triggerMatches().name(), Serdes.String().serializer(),
        topics.triggerMatches().valueSerde().serializer(), "triggers");
  }

  /**
   * The gate, keyed by trigger name, always present so that its stores outlive changes of the
   * trigger topics: dedup windows and batches ({@link TriggerGate}).
   */
  private static void addGate(Topology topology, CoordinatorTopics topics) {
    topology.addSource("trigger-matches-source", topics.triggerMatches().keySerde().deserializer(),
        topics.triggerMatches().valueSerde().deserializer(), topics.triggerMatches().name());
    topology.addProcessor("trigger-gate", TriggerGateProcessor::new, "trigger-matches-source");
    topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(GATE_MARKS_STORE), Serdes.String(),
        Serdes.Long()), "trigger-gate");
    topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(GATE_BATCHES_STORE),
        Serdes.String(), AvroSerde.of(TriggerBatchState.class)), "trigger-gate");
    topology.addSink(GATE_COMMANDS_SINK, topics.commands().name(), Serdes.String().serializer(),
        topics.commands().valueSerde().serializer(), "trigger-gate");
  }
}
