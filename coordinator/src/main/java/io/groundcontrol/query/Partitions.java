package io.groundcontrol.query;

import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.state.HostInfo;

/** Where the partitions of a sub-topology's store are active now, across instances and here. */
final class Partitions {
  private static final Duration RETRY = Duration.ofSeconds(1);
  private static final Duration RETRY_STOPPED = Duration.ofSeconds(5);

  private Partitions() {}

  /**
   * Refuses to read while this instance's coordinator is not running: its stores are closed, and
   * Kafka Streams would throw instead of answering. Another instance may answer meanwhile.
   */
  static void requireRunning(KafkaStreams streams) {
    KafkaStreams.State state = streams.state();
    if (!state.isRunningOrRebalancing()) {
      throw new QueryUnavailableException("The coordinator of this instance is not running (state " + state
          + "); retry, or ask another instance", RETRY_STOPPED);
    }
  }

  /**
   * Which instance owns which partition of {@code topic} for {@code store} now.
   *
   * @throws QueryUnavailableException unless every one of the {@code partitions} has an active owner
   */
  static Map<HostInfo, Set<Integer>> owners(KafkaStreams streams, String store, String topic, int partitions) {
    requireRunning(streams);
    Map<HostInfo, Set<Integer>> owners = new TreeMap<>(Comparator.comparing(HostInfo::toString));
    Set<Integer> covered = new TreeSet<>();
    for (StreamsMetadata metadata : streams.streamsMetadataForStore(store)) {
      metadata.topicPartitions().stream()
          .filter(tp -> tp.topic().equals(topic))
          .forEach(tp -> {
            owners.computeIfAbsent(metadata.hostInfo(), h -> new TreeSet<>()).add(tp.partition());
            covered.add(tp.partition());
          });
    }
    if (covered.size() < partitions) {
      throw new QueryUnavailableException("Only partitions " + covered + " of " + partitions
          + " have an active owner right now (a rebalance is under way)", RETRY);
    }
    return owners;
  }

  /** The partitions of {@code topic} whose tasks are active on this instance now. */
  static Set<Integer> activeHere(KafkaStreams streams, String topic) {
    Set<Integer> mine = new TreeSet<>();
    streams.metadataForLocalThreads().forEach(thread -> thread.activeTasks().forEach(task ->
        task.topicPartitions().stream().filter(tp -> tp.topic().equals(topic))
            .forEach(tp -> mine.add(tp.partition()))));
    return mine;
  }

  /**
   * Checks that every partition {@code asked} is active here.
   *
   * @throws QueryUnavailableException if one moved away (a rebalance is under way)
   */
  static void requireActiveHere(KafkaStreams streams, String topic, Iterable<Integer> asked, HostInfo self) {
    Set<Integer> mine = activeHere(streams, topic);
    for (int partition : asked) {
      if (!mine.contains(partition)) {
        throw new QueryUnavailableException("Partition " + partition + " is not active on " + self
            + " any more (a rebalance is under way)", RETRY);
      }
    }
  }
}
