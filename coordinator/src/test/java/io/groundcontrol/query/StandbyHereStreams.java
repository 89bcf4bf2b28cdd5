package io.groundcontrol.query;

import io.groundcontrol.coordinator.CoordinatorTopics;
import io.groundcontrol.coordinator.CoordinatorTopology;
import io.groundcontrol.coordinator.MissionStoreSerde;
import io.groundcontrol.schema.Plan;
import io.groundcontrol.schema.wire.TopicNames;
import io.groundcontrol.testing.TestDirs;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.function.Supplier;
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

/**
 * A running instance that holds partition 0 of the missions only as a standby copy of the owner's
 * (which is another instance, or none): a query of it must allow stale stores. Never started, so it
 * opens no connection. Its plan store holds what a test puts there.
 */
public final class StandbyHereStreams extends KafkaStreams {
  private final HostInfo self;
  private final Supplier<HostInfo> owner;
  private final KeyValueStore<String, SpecificRecord> standbyCopy = inMemory(CoordinatorTopology.MISSION_STORE);
  /** The plan store, empty until a test puts a plan in it. */
  private final KeyValueStore<String, Plan> plans = planStore();

  /**
   * @param self this instance
   * @param owner the instance whose task owns partition 0 now, asked at each query
   */
  public StandbyHereStreams(HostInfo self, Supplier<HostInfo> owner) {
    super(topology(), config());
    this.self = self;
    this.owner = owner;
  }

  /** This instance's standby copy of partition 0 of the mission store. */
  public KeyValueStore<String, SpecificRecord> standbyCopy() {
    return standbyCopy;
  }

  /** The global plan store as this instance holds it: plan names (latest) and name@version keys. */
  public KeyValueStore<String, Plan> plans() {
    return plans;
  }

  @Override
  public State state() {
    return State.RUNNING;
  }

  @Override
  public <K> KeyQueryMetadata queryMetadataForKey(String store, K key, Serializer<K> serializer) {
    return new KeyQueryMetadata(owner.get(), Set.of(self), 0);
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

  private static KeyValueStore<String, SpecificRecord> inMemory(String name) {
    KeyValueStore<String, SpecificRecord> store = Stores.<String, SpecificRecord>keyValueStoreBuilder(
        Stores.inMemoryKeyValueStore(name), Serdes.String(), MissionStoreSerde.INSTANCE).withLoggingDisabled().build();
    store.init(new MockProcessorContext<>().getStateStoreContext(), store);
    return store;
  }

  private static KeyValueStore<String, Plan> planStore() {
    KeyValueStore<String, Plan> store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(
        CoordinatorTopology.PLAN_STORE), Serdes.String(), new CoordinatorTopics(TopicNames.DEFAULT).plans().valueSerde()).withLoggingDisabled().build();
    store.init(new MockProcessorContext<>().getStateStoreContext(), store);
    return store;
  }

  private static org.apache.kafka.streams.Topology topology() {
    StreamsBuilder builder = new StreamsBuilder();
    builder.stream("in");
    return builder.build();
  }

  private static Properties config() {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "standby-here-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:1");
    props.put(StreamsConfig.STATE_DIR_CONFIG, TestDirs.create("gc-queries-").toString());
    return props;
  }

  /** Peers of which none ever answers a mission read. */
  public static final class SilentPeers implements Peers {
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
