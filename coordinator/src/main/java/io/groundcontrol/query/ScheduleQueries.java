package io.groundcontrol.query;

import io.groundcontrol.schedule.SchedulerTopology;
import io.groundcontrol.schema.ScheduleState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Schedules as the scheduler keeps them (store {@value SchedulerTopology#STATE_STORE}, partitioned
 * by schedule name), answered by any instance: one schedule from the instance that owns it, the
 * list gathered from every instance's share. Like {@link MissionQueries}, it never waits for a
 * rebalance: without an owner for every partition it throws {@link QueryUnavailableException}.
 */
public final class ScheduleQueries {
  private static final Duration RETRY = Duration.ofSeconds(1);

  private final Supplier<KafkaStreams> streams;
  private final HostInfo self;
  private final String schedulesTopic;
  private final int partitions;
  private final Peers peers;
  private final LocalStores local;
  private final NextFires fires = new NextFires();

  /**
   * @param streams the coordinator's current Kafka Streams (a new one after a restart), asked at each query
   * @param schedulesTopic the scheduler's source topic whose partitions its tasks own
   * @param partitions partitions of that topic
   */
  public ScheduleQueries(Supplier<KafkaStreams> streams, HostInfo self, String schedulesTopic, int partitions, Peers peers) {
    this.streams = streams;
    this.self = self;
    this.schedulesTopic = schedulesTopic;
    this.partitions = partitions;
    this.peers = peers;
    this.local = new LocalStores(streams);
  }

  /** Every schedule, sorted by name, gathered from every instance. */
  public List<ScheduleDocument> list(String credentials) {
    Map<HostInfo, Set<Integer>> owners =
        Partitions.owners(streams.get(), SchedulerTopology.STATE_STORE, schedulesTopic, partitions);
    List<ScheduleDocument> all = new ArrayList<>();
    for (Map.Entry<HostInfo, Set<Integer>> owner : owners.entrySet()) {
      all.addAll(owner.getKey().equals(self) ? localList(owner.getValue())
          : peers.schedules(owner.getKey(), owner.getValue(), credentials));
    }
    all.sort(Comparator.comparing(ScheduleDocument::name));
    return all;
  }

  /** The schedule named {@code name}, from the instance that owns it; empty if there is none. */
  public Optional<ScheduleDocument> schedule(String name, String credentials) {
    KafkaStreams current = streams.get();
    Partitions.requireRunning(current);
    KeyQueryMetadata owner = current.queryMetadataForKey(SchedulerTopology.STATE_STORE, name,
        Serdes.String().serializer());
    if (owner == null || owner == KeyQueryMetadata.NOT_AVAILABLE || owner.activeHost().port() < 0) {
      throw new QueryUnavailableException(
          "No coordinator instance owns schedule '" + name + "' right now (a rebalance is under way)", RETRY);
    }
    if (owner.activeHost().equals(self)) {
      return localSchedule(name, owner.partition());
    }
    return peers.schedule(owner.activeHost(), name, owner.partition(), credentials);
  }

  /** The schedules of {@code asked} partitions, each active here, sorted by name. */
  public List<ScheduleDocument> localList(Collection<Integer> asked) {
    KafkaStreams current = streams.get();
    Partitions.requireRunning(current);
    Partitions.requireActiveHere(current, schedulesTopic, asked, self);
    List<ScheduleDocument> all = new ArrayList<>();
    for (int partition : asked) {
      for (ScheduleState state : local.schedules(partition)) {
        ScheduleDocument.of(state, fires).ifPresent(all::add);
      }
    }
    all.sort(Comparator.comparing(ScheduleDocument::name));
    return all;
  }

  /** Schedule {@code name} as kept in {@code partition} here. */
  public Optional<ScheduleDocument> localSchedule(String name, int partition) {
    Partitions.requireRunning(streams.get());
    return local.schedule(name, partition).flatMap(state -> ScheduleDocument.of(state, fires));
  }
}
