package io.groundcontrol.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.groundcontrol.coordinator.CoordinatorTopology;
import io.groundcontrol.coordinator.MissionStateCodec;
import io.groundcontrol.coordinator.MissionStoreSerde;
import io.groundcontrol.mission.Mission;
import io.groundcontrol.schema.MissionStatus;
import io.groundcontrol.schema.wire.TopicNames;
import io.groundcontrol.testing.TestDirs;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A mission read while its owner does not answer: only a standby copy here can answer, and a copy
 * that lacks the mission may merely lag, so it answers "unavailable", never "no such mission".
 */
class MissionQueriesTest {
  private static final Instant T0 = Instant.parse("2026-12-03T10:00:00Z");
  private static final HostInfo SELF = new HostInfo("self", 8080);
  private static final HostInfo OWNER = new HostInfo("owner", 8080);

  private final KeyValueStore<String, SpecificRecord> standbyCopy = inMemory(CoordinatorTopology.MISSION_STORE);
  /** No plans: the empty store of the plan store's name (read by key only, so its value type never shows). */
  private final KeyValueStore<String, SpecificRecord> plans = inMemory(CoordinatorTopology.PLAN_STORE);
  /** The instance whose task owns partition 0 now: it never answers, or there is none. */
  private HostInfo owner = OWNER;
  private final StandbyHere streams = new StandbyHere();
  private final MissionQueries queries = new MissionQueries(() -> streams, SELF, TopicNames.DEFAULT, 1, new SilentPeers());

  @AfterEach
  void close() {
    streams.close(Duration.ZERO);
  }

  @Test
  void aStandbyCopyWithoutTheMissionAnswersUnavailableNotUnknown() {
    assertThatThrownBy(() -> queries.mission("m-1", null))
        .isInstanceOf(QueryUnavailableException.class)
        .hasMessageContaining("did not answer");
  }

  @Test
  void aStandbyCopyWithoutTheMissionAnswersUnavailableWhileNoInstanceOwnsIt() {
    owner = HostInfo.unavailable();

    assertThatThrownBy(() -> queries.mission("m-1", null))
        .isInstanceOf(QueryUnavailableException.class)
        .hasMessageContaining("No coordinator instance owns mission 'm-1'");
  }

  @Test
  void aStandbyCopyWithTheMissionAnswersItMarkedStale() {
    standbyCopy.put("m-1", MissionStateCodec.toStored(Mission.restore(
        "m-1", "diamond", "v1", MissionStatus.RUNNING, Map.of(), 3, T0, T0, null, List.of())));

    Optional<MissionDocument> mission = queries.mission("m-1", null);

    assertThat(mission).hasValueSatisfying(document -> {
      assertThat(document.missionId()).isEqualTo("m-1");
      assertThat(document.stale()).isTrue();
    });
  }

  private static KeyValueStore<String, SpecificRecord> inMemory(String name) {
    KeyValueStore<String, SpecificRecord> store = Stores.<String, SpecificRecord>keyValueStoreBuilder(
        Stores.inMemoryKeyValueStore(name), Serdes.String(), MissionStoreSerde.INSTANCE).withLoggingDisabled().build();
    store.init(new MockProcessorContext<>().getStateStoreContext(), store);
    return store;
  }

  /**
   * A running instance that holds partition 0 of the missions only as a standby copy of the
   * owner's: a query of it must allow stale stores. Never started, so it opens no connection.
   */
  private final class StandbyHere extends KafkaStreams {
    StandbyHere() {
      super(topology(), config());
    }

    @Override
    public State state() {
      return State.RUNNING;
    }

    @Override
    public <K> KeyQueryMetadata queryMetadataForKey(String store, K key, Serializer<K> serializer) {
      return new KeyQueryMetadata(owner, Set.of(SELF), 0);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T store(StoreQueryParameters<T> params) {
      if (params.storeName().equals(CoordinatorTopology.PLAN_STORE)) {
        return (T) plans;
      }
      if (!params.staleStoresEnabled()) {
        throw new InvalidStateStoreException("partition 0 is a standby here");
      }
      return (T) standbyCopy;
    }
  }

  private static org.apache.kafka.streams.Topology topology() {
    StreamsBuilder builder = new StreamsBuilder();
    builder.stream("in");
    return builder.build();
  }

  private static Properties config() {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "mission-queries-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:1");
    props.put(StreamsConfig.STATE_DIR_CONFIG, TestDirs.create("gc-queries-").toString());
    return props;
  }

  /** The owner, which never answers. */
  private static final class SilentPeers implements Peers {
    @Override
    public Optional<MissionDocument> mission(HostInfo peer, String missionId, int partition, String credentials) {
      throw new QueryUnavailableException("Instance " + peer + " did not answer", Duration.ofSeconds(1));
    }

    @Override
    public LocalPage page(HostInfo peer, MissionFilter filter, String cursor, int limit, Collection<Integer> partitions,
        String credentials) {
      throw new UnsupportedOperationException();
    }

    @Override
    public List<ScheduleDocument> schedules(HostInfo peer, Collection<Integer> partitions, String credentials) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Optional<ScheduleDocument> schedule(HostInfo peer, String name, int partition, String credentials) {
      throw new UnsupportedOperationException();
    }
  }
}
