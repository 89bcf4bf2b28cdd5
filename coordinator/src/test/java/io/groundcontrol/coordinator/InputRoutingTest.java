package io.groundcontrol.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** A re-routed copy goes where the check that re-routed it expects it, whatever the topic's count now. */
class InputRoutingTest {
  @Test
  void aReroutedCopyGoesToItsKeysPartitionByTheCountTheCheckUsed() {
    String key = IntStream.range(0, 100).mapToObj(i -> "m" + i)
        .filter(id -> InputRouting.expectedPartition(id, 2) != InputRouting.expectedPartition(id, 4))
        .findFirst().orElseThrow();
    Map<String, Integer> configs = Map.of(InputRouting.partitionsConfig("reports"), 2);

    // The producer already sees 4 partitions; the missions are still laid out over 2.
    assertThat(InputRouting.reroutePartitioner(configs).partitions("reports", key, null, 4))
        .hasValue(java.util.Set.of(InputRouting.expectedPartition(key, 2)));
    assertThat(InputRouting.reroutePartitioner(configs).partitions("other", key, null, 4))
        .hasValue(java.util.Set.of(InputRouting.expectedPartition(key, 4)));
  }
}
