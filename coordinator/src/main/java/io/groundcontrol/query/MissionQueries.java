package io.groundcontrol.query;

import io.groundcontrol.coordinator.CompiledPlan;
import io.groundcontrol.coordinator.CoordinatorTopology;
import io.groundcontrol.coordinator.PlanKeys;
import io.groundcontrol.mission.MissionPlan;
import io.groundcontrol.schema.ComponentSettings;
import io.groundcontrol.schema.Plan;
import io.groundcontrol.schema.wire.TopicNames;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
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
 * The read side of the coordinator, answered by any instance: a mission from the instance that
 * owns it (this one, or a peer asked over HTTP), a list gathered from every instance's share of
 * the partitions. It never waits for a rebalance to end: while a partition has no owner, or the
 * owner does not answer, it throws {@link QueryUnavailableException} (the API answers 503 with
 * Retry-After), except that a mission held here as a standby copy is returned marked stale. A
 * standby copy never answers that a mission does not exist.
 */
public final class MissionQueries {
  /** The largest page a list returns. */
  public static final int MAX_PAGE = 500;
  private static final Duration RETRY = Duration.ofSeconds(1);
  private static final int COMPILED_LATEST_PLANS = 64;

  private final Supplier<KafkaStreams> streams;
  private final HostInfo self;
  private final String commandsTopic;
  private final int partitions;
  private final Peers peers;
  private final LocalStores local;
  private final Map<String, MissionPlan> latestCompiled = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, MissionPlan> eldest) {
      return size() > COMPILED_LATEST_PLANS;
    }
  };

  /**
   * @param streams the coordinator's current Kafka Streams (a new one after a restart), asked at each query
   * @param self this instance's {@code application.server}
   * @param partitions partitions of the missions sub-topology (of the commands topic)
   */
  public MissionQueries(Supplier<KafkaStreams> streams, HostInfo self, TopicNames topics, int partitions, Peers peers) {
    this.streams = streams;
    this.self = self;
    this.commandsTopic = topics.missionCommands();
    this.partitions = partitions;
    this.peers = peers;
    this.local = new LocalStores(streams);
  }

  /**
   * The mission, wherever it is kept; empty if its owner has no such mission.
   *
   * @param credentials passed on to a peer that is asked
   */
  public Optional<MissionDocument> mission(String missionId, String credentials) {
    KafkaStreams current = streams.get();
    Partitions.requireRunning(current);
    KeyQueryMetadata owner = current.queryMetadataForKey(
        CoordinatorTopology.MISSION_STORE, missionId, Serdes.String().serializer());
    if (owner == null || owner == KeyQueryMetadata.NOT_AVAILABLE || owner.activeHost().port() < 0) {
      return Optional.of(standbyHere(owner, missionId)
          .orElseThrow(() -> new QueryUnavailableException(
              "No coordinator instance owns mission '" + missionId + "' right now (a rebalance is under way)", RETRY)));
    }
    if (owner.activeHost().equals(self)) {
      return local.mission(missionId, owner.partition(), false);
    }
    try {
      return peers.mission(owner.activeHost(), missionId, owner.partition(), credentials);
    } catch (QueryUnavailableException e) {
      return Optional.of(standbyHere(owner, missionId).orElseThrow(() -> e));
    }
  }

  /** The mission from this instance's own copy of {@code partition}, active or (if {@code stale}) not. */
  public Optional<MissionDocument> localMission(String missionId, int partition, boolean stale) {
    Partitions.requireRunning(streams.get());
    return local.mission(missionId, partition, stale);
  }

  /** This instance's part of a list page of 1 to {@link #MAX_PAGE}; every partition asked must be active here. */
  public LocalPage localPage(MissionFilter filter, String cursor, int limit, Collection<Integer> asked) {
    checkLimit(limit);
    KafkaStreams current = streams.get();
    Partitions.requireRunning(current);
    Partitions.requireActiveHere(current, commandsTopic, asked, self);
    return local.page(filter, decode(cursor), limit, asked);
  }

  private static void checkLimit(int limit) {
    if (limit < 1 || limit > MAX_PAGE) {
      throw new IllegalArgumentException("Expected a limit from 1 to " + MAX_PAGE + ", but got " + limit);
    }
  }

  /**
   * One page of missions matching {@code filter}, newest first, gathered from every instance.
   *
   * @param cursor the {@code nextCursor} of the previous page, or null for the first
   * @param limit 1 to {@link #MAX_PAGE}
   */
  public MissionPage list(MissionFilter filter, String cursor, int limit, String credentials) {
    checkLimit(limit);
    decode(cursor);
    Map<HostInfo, Set<Integer>> owners =
        Partitions.owners(streams.get(), CoordinatorTopology.MISSION_STORE, commandsTopic, partitions);
    List<LocalPage.Entry> entries = new ArrayList<>();
    boolean more = false;
    for (Map.Entry<HostInfo, Set<Integer>> owner : owners.entrySet()) {
      LocalPage part = owner.getKey().equals(self)
          ? localPage(filter, cursor, limit, owner.getValue())
          : peers.page(owner.getKey(), filter, cursor, limit, owner.getValue(), credentials);
      entries.addAll(part.entries());
      more |= part.more();
    }
    entries.sort(Comparator.comparing(LocalPage.Entry::position));
    if (entries.size() > limit) {
      entries.subList(limit, entries.size()).clear();
      more = true;
    }
    String next = more && !entries.isEmpty() ? encode(entries.get(entries.size() - 1).position()) : null;
    return new MissionPage(entries.stream().map(LocalPage.Entry::mission).toList(), next);
  }

  /** Every plan key in the global plan store (every instance holds all of them). */
  public Map<String, Plan> plans() {
    Partitions.requireRunning(streams.get());
    return local.plans();
  }

  /** Version {@code version} of plan {@code name}, compiled, from the global plan store; empty if it has none. */
  public Optional<MissionPlan> plan(String name, String version) {
    Partitions.requireRunning(streams.get());
    return local.plan(PlanKeys.versioned(name, version)).map(CompiledPlan::of);
  }

  /**
   * The latest version of plan {@code name}, compiled, from the global plan store; empty if it has
   * none. Versions never change, so the last few compiled are kept.
   */
  public Optional<MissionPlan> latestPlan(String name) {
    Partitions.requireRunning(streams.get());
    return local.plan(name).map(plan -> {
      String key = PlanKeys.versioned(plan.getName(), plan.getVersion());
      synchronized (latestCompiled) {
        return latestCompiled.computeIfAbsent(key, k -> CompiledPlan.of(plan));
      }
    });
  }

  /** Every component's settings in the global components store (every instance holds all of them). */
  public Map<String, ComponentSettings> componentSettings() {
    Partitions.requireRunning(streams.get());
    return local.components();
  }

  /**
   * The mission from this instance's standby copy of its partition, if there is one and it holds
   * the mission. A copy without it proves nothing (it may lag, or still be restoring), so that is
   * empty too: only the owner can say a mission does not exist.
   */
  private Optional<MissionDocument> standbyHere(KeyQueryMetadata owner, String missionId) {
    if (owner == null || owner == KeyQueryMetadata.NOT_AVAILABLE || !owner.standbyHosts().contains(self)) {
      return Optional.empty();
    }
    try {
      return local.mission(missionId, owner.partition(), true);
    } catch (QueryUnavailableException e) {
      return Optional.empty();
    }
  }

  /** A position as an opaque cursor. */
  static String encode(String position) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(position.getBytes(StandardCharsets.UTF_8));
  }

  /** The position in a cursor; null for none. */
  static String decode(String cursor) {
    if (cursor == null || cursor.isEmpty()) {
      return null;
    }
    try {
      return new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("Expected a cursor from a previous page's nextCursor, but got '" + cursor + "'");
    }
  }
}
