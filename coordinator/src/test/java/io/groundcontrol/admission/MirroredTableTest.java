package io.groundcontrol.admission;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
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

  @Test
  void entriesOfARangeStayAsReadWhileTheTableChanges() {
    MirroredTable<Long> table = new MirroredTable<>(store);
    for (long i = 0; i < 200; i++) {
      table.put(String.format("k%03d", i), i);
    }
    List<Map.Entry<String, Long>> range = table.range("k050", "k150");
    Map<String, Long> asRead = new TreeMap<>();
    range.forEach(entry -> asRead.put(entry.getKey(), entry.getValue()));
    Random random = new Random(42);
    for (Map.Entry<String, Long> entry : range) {
      table.delete(entry.getKey());
      table.delete(String.format("k%03d", random.nextInt(200)));
      assertThat(entry.getValue()).as(entry.getKey()).isEqualTo(asRead.get(entry.getKey()));
    }
    assertThat(range).extracting(Map.Entry::getKey).containsExactlyElementsOf(asRead.keySet());
  }
}
