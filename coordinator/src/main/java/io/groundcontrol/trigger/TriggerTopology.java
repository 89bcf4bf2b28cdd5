package io.groundcontrol.trigger;

import io.groundcontrol.coordinator.CoordinatorTopics;
import io.groundcontrol.coordinator.GlobalStoreUpdater;
import io.groundcontrol.schema.Trigger;
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
 *                                  └─► dead-letters (with the reason)
 * </pre>
 *
 * A Kafka Streams topology's source topics are fixed when it is built, so the coordinator builds
 * it with the topics of the triggers applied (and existing) when it starts, and rebuilds and
 * restarts its streams when that set changes ({@code TriggerTopicWatcher}).
 */
public final class TriggerTopology {
  /** Trigger name to {@code Trigger}, global: every instance holds every trigger. */
  public static final String TRIGGER_STORE = "triggers";
  static final String COMMANDS_SINK = "triggered-mission-commands";
  static final String DEAD_LETTER_SINK = "trigger-dead-letters";

  private TriggerTopology() {}

  /** Adds the trigger store and, if there are trigger topics, the sub-topology reading them. */
  public static void addTo(Topology topology, CoordinatorTopics topics, Set<String> triggerTopics) {
    topology.addGlobalStore(
        Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(TRIGGER_STORE), Serdes.String(),
            topics.triggers().valueSerde()).withLoggingDisabled(),
        "triggers-source",
        topics.triggers().keySerde().deserializer(),
        topics.triggers().valueSerde().deserializer(),
        topics.triggers().name(),
        "triggers-updater",
        () -> new GlobalStoreUpdater<Trigger>(TRIGGER_STORE, "a trigger name"));
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
  }
}
