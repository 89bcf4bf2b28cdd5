package io.groundcontrol.admission;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MirroredTableTest {
  private KeyValueStore<String, Long> store;

  @BeforeEach
  void openStore() {
    store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("t"), Serdes.String(), Serdes.Long())
        .withLoggingDisabled()
        .build();
    store.init(new MockProcessorContext<>().getStateStoreContext(), store);
  }

  @Test
  void writesReachTheStoreAndReadsSeeThem() {
    MirroredTable<Long> table = new MirroredTable<>(store);
    table.put("b", 2L);
    table.put("a", 1L);
    table.put("c", 3L);
    table.delete("c");

    assertThat(store.get("a")).isEqualTo(1L);
    assertThat(store.get("c")).isNull();
    assertThat(table.get("b")).isEqualTo(2L);
    assertThat(table.get("c")).isNull();
    assertThat(table.size()).isEqualTo(2);
  }

  @Test
  void aNewMirrorStartsFromWhatTheStoreHolds() {
    store.put("x\u0000queued", 4L);
    store.put("x\u0000running", 2L);
    store.put("y\u0000running", 1L);

    MirroredTable<Long> table = new MirroredTable<>(store);

    assertThat(table.range("x\u0000", "x\u0001")).extracting(Map.Entry::getValue).containsExactly(4L, 2L);
    assertThat(table.first("y\u0000", "y\u0001")).isEqualTo(Map.entry("y\u0000running", 1L));
  }

  @Test
  void rangesAreHalfOpen() {
    MirroredTable<Long> table = new MirroredTable<>(store);
    table.put("a", 1L);
    table.put("b", 2L);

    assertThat(table.first("a", "b")).isEqualTo(Map.entry("a", 1L));
    assertThat(table.first("b", "b")).isNull();
    assertThat(table.first("c", "z")).isNull();
    assertThat(table.range("a", "b")).extracting(Map.Entry::getKey).containsExactly("a");
  }
}
