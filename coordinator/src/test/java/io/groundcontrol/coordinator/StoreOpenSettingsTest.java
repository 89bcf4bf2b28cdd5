package io.groundcontrol.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.junit.jupiter.api.Test;
import org.rocksdb.Options;

/** The RocksDB settings of the coordinator's stores: README "Running N coordinator instances", Failover time. */
class StoreOpenSettingsTest {
  /** What decides whether a write is kept: WAL, syncs, checks, flushes. */
  private static final List<Function<Options, Object>> DURABILITY = List.of(
      Options::useFsync, Options::paranoidChecks, Options::atomicFlush, Options::avoidFlushDuringShutdown,
      Options::avoidFlushDuringRecovery, Options::manualWalFlush, Options::walRecoveryMode, Options::bytesPerSync,
      Options::walBytesPerSync, Options::writeBufferSize, Options::maxWriteBufferNumber, Options::maxOpenFiles);

  @Test
  void aStoreOpensItsFilesOnTheCallingThreadAlone() {
    try (Options options = new Options()) {
      assertThat(options.maxFileOpeningThreads()).isEqualTo(16);

      new StoreOpenSettings().setConfig("missions", options, Map.of());

      assertThat(options.maxFileOpeningThreads()).isEqualTo(1);
    }
  }

  @Test
  void whatAStoreWritesAndSyncsStaysAsKafkaStreamsSetsIt() {
    try (Options kafkaStreams = kafkaStreamsLike(); Options ours = kafkaStreamsLike()) {
      new StoreOpenSettings().setConfig("missions", ours, Map.of());

      assertThat(DURABILITY).allSatisfy(setting -> assertThat(setting.apply(ours)).isEqualTo(setting.apply(kafkaStreams)));
    }
  }

  @Test
  void theCoordinatorsStoresUseThemAndASetOverridesThem() {
    CoordinatorConfig config = CoordinatorConfig.defaults("localhost:9092", Path.of("target", "store-open-test"));

    assertThat(config.streamsProperties().get(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG))
        .isEqualTo(StoreOpenSettings.class);
    assertThat(config.withOverride(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, Mine.class.getName())
        .streamsProperties().get(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG)).isEqualTo(Mine.class.getName());
  }

  /** An operator's own settings, given with {@code --set rocksdb.config.setter=...}. */
  public static final class Mine implements RocksDBConfigSetter {
    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {}

    @Override
    public void close(String storeName, Options options) {}
  }

  /** The options Kafka Streams' RocksDBStore sets before it calls the config setter. */
  private static Options kafkaStreamsLike() {
    Options options = new Options();
    options.setWriteBufferSize(16L << 20);
    options.setMaxWriteBufferNumber(3);
    options.setAtomicFlush(true);
    options.setCreateIfMissing(true);
    return options;
  }
}
