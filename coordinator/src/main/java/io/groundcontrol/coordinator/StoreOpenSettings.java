package io.groundcontrol.coordinator;

import java.util.Map;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.Options;

/**
 * The coordinator's RocksDB settings ({@code rocksdb.config.setter}): Kafka Streams' own, but for
 * how many threads open a store's table files.
 *
 * <p>An instance taking over another's tasks opens their 16 stores per partition on its stream
 * thread, with its own transaction open, so its own missions wait for it (README, Failover time).
 * RocksDB opens a store's table files with up to {@code max_file_opening_threads} threads, 16 by
 * default, and the RocksDB Kafka Streams 4.3 ships starts them at every open, even of a store that
 * holds no file: 22 to 27 threads started and joined per store opened, each of which must get a
 * core before the open goes on. With the caller's thread alone, 16 fresh stores opened in 3.1 s instead of 3.8 s (medians of ten, load
 * 20), and a survivor's 32 in 2.5-2.9 s instead of 5.4-8.9 s in most chaos runs. Only a store of
 * many files opens faster with several threads, and the coordinator's hold few. Nothing here
 * changes what is written or when it is synced.
 */
public final class StoreOpenSettings implements RocksDBConfigSetter {
  /** Threads that open a store's table files when it opens: the caller's alone. */
  static final int FILE_OPENING_THREADS = 1;

  @Override
  public void setConfig(String storeName, Options options, Map<String, Object> configs) {
    options.setMaxFileOpeningThreads(FILE_OPENING_THREADS);
  }

  @Override
  public void close(String storeName, Options options) {
    // Nothing was allocated for the store.
  }
}
