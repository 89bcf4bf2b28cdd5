package io.groundcontrol.coordinator;

import io.groundcontrol.client.KeyPartitions;
import io.groundcontrol.schema.MissionCommand;
import io.groundcontrol.schema.StageReport;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.processor.StreamPartitioner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds inputs that arrived on another partition than their key maps to. A mission lives on the
 * partition of its id, so a report or command elsewhere finds no mission there and would leave the
 * mission hanging. It happens when a producer does not use Kafka's default partitioner (murmur2 of
 * the key bytes modulo the partition count), such as librdkafka with its default
 * {@code consistent_random}. Such a record is sent once more to the right partition of its topic
 * (see {@link #expectedPartition}); the {@link #REROUTED_HEADER} on the copy stops a second hop.
 *
 * <p>The partition counts come from the app config ({@link #partitionsConfig}), written by
 * {@link Coordinator#start}; without them no record is checked.
 */
final class InputRouting {
  /** Header on a re-routed copy, naming the partition the record first arrived on. */
  static final String REROUTED_HEADER = "groundcontrol.rerouted-from";
  private static final String PARTITIONS_CONFIG_PREFIX = "groundcontrol.partitions.";
  private static final int WARNED_PRODUCERS_KEPT = 1000;
  private static final Logger LOG = LoggerFactory.getLogger(InputRouting.class);

  private final Map<String, ?> appConfigs;
  private final Set<String> warnedProducers = new LinkedHashSet<>();

  InputRouting(Map<String, ?> appConfigs) {
    this.appConfigs = appConfigs;
  }

  /** The app config key holding the partition count of {@code topic}. */
  static String partitionsConfig(String topic) {
    return PARTITIONS_CONFIG_PREFIX + topic;
  }

  /** The partition count of {@code topic} in {@code configs} (see {@link #partitionsConfig}), if there. */
  static OptionalInt configuredPartitions(Map<?, ?> configs, String topic) {
    Object configured = configs.get(partitionsConfig(topic));
    return configured == null ? OptionalInt.empty() : OptionalInt.of(Integer.parseInt(configured.toString()));
  }

  /**
   * Where a re-routed copy goes: its key's partition by the count {@link #misrouted} used, which is
   * the one the missions are laid out by, not the topic's count now. Should partitions be added while
   * the coordinator runs, the copy still reaches its mission; the next rebalance then stops the
   * coordinator ({@link PartitionLayout}). The topic's own count, for a topic not in {@code configs}.
   */
  static StreamPartitioner<String, Object> reroutePartitioner(Map<?, ?> configs) {
    return (topic, key, value, partitions) -> Optional.of(Set.of(
        expectedPartition(key, configuredPartitions(configs, topic).orElse(partitions))));
  }

  /** The partition Kafka's default partitioner gives {@code key} among {@code partitions}. */
  static int expectedPartition(String key, int partitions) {
    return KeyPartitions.of(key, partitions);
  }

  /**
   * The partition {@code key} belongs on, if the record arrived on {@code topic}'s partition
   * {@code partition} by mistake and was not re-routed before; empty if it is where it belongs.
   */
  OptionalInt misrouted(String topic, int partition, String key, Headers headers, Object value) {
    OptionalInt configured = configuredPartitions(appConfigs, topic);
    if (configured.isEmpty() || key == null) {
      return OptionalInt.empty();
    }
    int partitions = configured.getAsInt();
    int expected = expectedPartition(key, partitions);
    if (expected == partition) {
      return OptionalInt.empty();
    }
    if (headers.lastHeader(REROUTED_HEADER) != null) {
      LOG.warn("Record for mission '{}' on {} partition {} was re-routed once already, yet its key maps to partition {} "
          + "of {}: processing it here (did the topic's partition count change?)", key, topic, partition, expected,
          partitions);
      return OptionalInt.empty();
    }
    warnOncePerProducer(topic, partition, key, value, expected, partitions);
    return OptionalInt.of(expected);
  }

  private void warnOncePerProducer(String topic, int partition, String key, Object value, int expected, int partitions) {
    String producer = producerOf(value);
    if (!warnedProducers.add(producer)) {
      return;
    }
    if (warnedProducers.size() > WARNED_PRODUCERS_KEPT) {
      warnedProducers.remove(warnedProducers.iterator().next());
    }
    LOG.warn("Expected the record for mission '{}' from {} on {} partition {} (Kafka's default partitioner: murmur2 of "
        + "the key's UTF-8 bytes modulo {} partitions), but it arrived on partition {}; re-routing it there. Configure "
        + "the producer with the murmur2 partitioner (librdkafka: partitioner=murmur2_random); every misrouted record "
        + "costs a hop. Further ones from this producer are re-routed without this warning.",
        key, producer, topic, expected, partitions, partition);
  }

  private static String producerOf(Object value) {
    if (value instanceof StageReport report) {
      return "worker '" + report.getWorker().getId() + "'";
    }
    if (value instanceof MissionCommand command) {
      return Optional.ofNullable(command.getIssuedBy()).map(actor -> "'" + actor.getId() + "'").orElse("an unknown producer");
    }
    return "an unknown producer";
  }
}
