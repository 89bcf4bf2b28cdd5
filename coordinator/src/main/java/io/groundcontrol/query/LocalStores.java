package io.groundcontrol.query;

import io.groundcontrol.coordinator.CompiledPlan;
import io.groundcontrol.coordinator.CoordinatorTopology;
import io.groundcontrol.coordinator.MissionStateCodec;
import io.groundcontrol.coordinator.MissionStore;
import io.groundcontrol.coordinator.PlanKeys;
import io.groundcontrol.mission.Mission;
import io.groundcontrol.mission.MissionPlan;
import io.groundcontrol.mission.PlanVersions;
import io.groundcontrol.schedule.SchedulerTopology;
import io.groundcontrol.schema.ComponentSettings;
import io.groundcontrol.schema.MissionHeader;
import io.groundcontrol.schema.MissionState;
import io.groundcontrol.schema.Plan;
import io.groundcontrol.schema.ScheduleState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Reads this instance's own stores, one partition at a time, through Kafka Streams interactive
 * queries. A store that is moving or restoring, or a mission index being rebuilt, throws
 * {@link QueryUnavailableException}.
 */
final class LocalStores {
  private static final Duration RETRY = Duration.ofSeconds(1);

  private final Supplier<KafkaStreams> streams;

  /** @param streams the coordinator's current Kafka Streams, asked at each read */
  LocalStores(Supplier<KafkaStreams> streams) {
    this.streams = streams;
  }

  /** The mission as stored in {@code partition}; {@code stale} allows a standby or restoring copy. */
  Optional<MissionDocument> mission(String missionId, int partition, boolean stale) {
    // The mission's plan version: for the stages the store leaves implicit, then for their order.
    Map<String, MissionPlan> compiled = new HashMap<>(2);
    PlanVersions plans = (name, version) -> Optional.ofNullable(compiled.computeIfAbsent(
        PlanKeys.versioned(name, version), key -> plan(key).map(CompiledPlan::of).orElse(null)));
    MissionState state;
    try {
      state = MissionStore.assemble(missions(partition, stale), missionId, plans);
    } catch (InvalidStateStoreException e) {
      // Also thrown on reading a store handed out a moment before its thread began a rebalance.
      throw unavailable(partition, e);
    }
    if (state == null) {
      return Optional.empty();
    }
    Mission mission = MissionStateCodec.fromStored(state);
    Optional<MissionPlan> plan = plans.version(mission.planName(), mission.planVersion());
    MissionDocument document = MissionDocument.of(
        mission, plan.isPresent() ? mission.stagesInPlanOrder(plan.get()) : mission.stages());
    return Optional.of(stale ? document.asStale() : document);
  }

  /**
   * Up to {@code limit} listed missions of {@code partitions} after {@code cursor}, in list order:
   * up to {@code limit} from each of the filter's index ranges in each partition, merged. A
   * partition's ranges are all opened (each iterator a point-in-time view) before any is read, and a
   * status change lists the mission under its new status before unlisting the old one
   * ({@link MissionIndex#update}): a mission moving while a list opens its ranges is in at least one
   * of them unless its whole move falls between two openings, microseconds apart; seen in two, it is
   * listed once.
   */
  LocalPage page(MissionFilter filter, String cursor, int limit, Collection<Integer> partitions) {
    List<LocalPage.Entry> entries = new ArrayList<>();
    boolean more = false;
    for (int partition : partitions) {
      ReadOnlyKeyValueStore<String, String> index = store(MissionIndex.STORE, partition, false);
      ReadOnlyKeyValueStore<String, SpecificRecord> missions = missions(partition, false);
      List<OpenRange> ranges = new ArrayList<>();
      try {
        if (!MissionIndex.isComplete(index)) {
          throw new QueryUnavailableException("Partition " + partition + "'s mission index is being rebuilt here (its task"
              + " has just started on this instance), and a list of it now would miss missions", RETRY);
        }
        for (MissionFilter.IndexRange range : filter.ranges(cursor)) {
          if (!range.isEmpty()) {
            ranges.add(new OpenRange(range.prefix(), index.range(range.from(), range.to())));
          }
        }
        for (OpenRange range : ranges) {
          more |= range.read(missions, limit, entries);
        }
      } catch (InvalidStateStoreException e) {
        throw unavailable(partition, e);
      } finally {
        ranges.forEach(range -> range.keys().close());
      }
    }
    entries.sort(Comparator.comparing(LocalPage.Entry::position));
    entries = withoutRepeats(entries);
    if (entries.size() > limit) {
      entries.subList(limit, entries.size()).clear();
      more = true;
    }
    return new LocalPage(entries, more);
  }

  /** Sorted entries with each position once: a mission caught in two status ranges as it moved. */
  private static List<LocalPage.Entry> withoutRepeats(List<LocalPage.Entry> sorted) {
    List<LocalPage.Entry> once = new ArrayList<>(sorted.size());
    for (LocalPage.Entry entry : sorted) {
      if (once.isEmpty() || !once.get(once.size() - 1).position().equals(entry.position())) {
        once.add(entry);
      }
    }
    return once;
  }

  /** An index range being read: the keys under {@code prefix} from an open iterator. */
  private record OpenRange(String prefix, KeyValueIterator<String, String> keys) {
    /** Adds up to {@code limit} listed missions to {@code entries}; true if more follow. */
    boolean read(ReadOnlyKeyValueStore<String, SpecificRecord> missions, int limit, List<LocalPage.Entry> entries) {
      int taken = 0;
      while (keys.hasNext()) {
        KeyValue<String, String> entry = keys.next();
        if (taken == limit) {
          return true;
        }
        SpecificRecord stored = missions.get(IndexKeys.missionIdOf(entry.key));
        MissionHeader header = stored instanceof MissionState whole
            ? MissionStateCodec.toHeader(MissionStateCodec.fromStored(whole)) : stored instanceof MissionHeader h ? h : null;
        if (header != null) {
          entries.add(new LocalPage.Entry(IndexKeys.positionOf(entry.key, prefix), summary(header)));
          taken++;
        }
      }
      return false;
    }
  }

  /** Every plan key in the global plan store, with its plan: names (latest) and name@version keys. */
  Map<String, Plan> plans() {
    return global(CoordinatorTopology.PLAN_STORE, "plan");
  }

  Optional<Plan> plan(String key) {
    try {
      return Optional.ofNullable(this.<Plan>globalStore(CoordinatorTopology.PLAN_STORE, "plan").get(key));
    } catch (InvalidStateStoreException e) {
      throw new QueryUnavailableException("The plan store is not ready: " + e.getMessage(), RETRY);
    }
  }

  /** Every component's settings in the global components store, by component name. */
  Map<String, ComponentSettings> components() {
    return global(CoordinatorTopology.COMPONENT_STORE, "component");
  }

  /** Every schedule's state kept in {@code partition} of the scheduler's store (active here). */
  List<ScheduleState> schedules(int partition) {
    List<ScheduleState> all = new ArrayList<>();
    try (KeyValueIterator<String, ScheduleState> entries =
        this.<ScheduleState>store(SchedulerTopology.STATE_STORE, partition, false).all()) {
      entries.forEachRemaining(entry -> all.add(entry.value));
    } catch (InvalidStateStoreException e) {
      throw unavailable(partition, e);
    }
    return all;
  }

  /** The state of schedule {@code name} in {@code partition} of the scheduler's store (active here). */
  Optional<ScheduleState> schedule(String name, int partition) {
    try {
      return Optional.ofNullable(this.<ScheduleState>store(SchedulerTopology.STATE_STORE, partition, false).get(name));
    } catch (InvalidStateStoreException e) {
      throw unavailable(partition, e);
    }
  }

  private <V> Map<String, V> global(String name, String what) {
    Map<String, V> all = new LinkedHashMap<>();
    try (KeyValueIterator<String, V> entries = this.<V>globalStore(name, what).all()) {
      entries.forEachRemaining(entry -> all.put(entry.key, entry.value));
    } catch (InvalidStateStoreException e) {
      throw new QueryUnavailableException("The " + what + " store is not ready: " + e.getMessage(), RETRY);
    }
    return all;
  }

  private <V> ReadOnlyKeyValueStore<String, V> globalStore(String name, String what) {
    try {
      return streams.get().store(StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.<String, V>keyValueStore()));
    } catch (InvalidStateStoreException e) {
      throw new QueryUnavailableException("The " + what + " store is not ready: " + e.getMessage(), RETRY);
    }
  }

  private static MissionSummary summary(MissionHeader header) {
    return new MissionSummary(header.getMissionId(), header.getPlanName(), header.getPlanVersion(),
        header.getStatus().name(), header.getReason(), header.getStartedAt().toString(),
        header.getUpdatedAt().toString(), StageStatuses.counts(header.getStatus(), header.getStageCounts()));
  }

  private ReadOnlyKeyValueStore<String, SpecificRecord> missions(int partition, boolean stale) {
    return store(CoordinatorTopology.MISSION_STORE, partition, stale);
  }

  private <V> ReadOnlyKeyValueStore<String, V> store(String name, int partition, boolean stale) {
    StoreQueryParameters<ReadOnlyKeyValueStore<String, V>> params =
        StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.<String, V>keyValueStore()).withPartition(partition);
    try {
      return streams.get().store(stale ? params.enableStaleStores() : params);
    } catch (InvalidStateStoreException e) {
      throw unavailable(partition, e);
    }
  }

  private static QueryUnavailableException unavailable(int partition, InvalidStateStoreException e) {
    return new QueryUnavailableException(
        "Partition " + partition + " is not queryable here now (" + e.getMessage() + "); it is probably moving", RETRY);
  }
}
