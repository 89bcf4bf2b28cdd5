package io.groundcontrol.bench;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.groundcontrol.client.KafkaConnection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a benchmark may set on its broker: only an embedded one's configs and protocol. */
class BrokerChoiceTest {
  private static final KafkaConnection GIVEN = KafkaConnection.plaintext("broker.example:9092");

  @Test
  void aGivenClusterKeepsItsOwnBrokerConfigs() {
    assertThatThrownBy(() -> new BrokerChoice(GIVEN, false, List.of(), null,
        Map.of("add.partitions.to.txn.retry.backoff.ms", "1")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("only an embedded broker's are set")
        .hasMessageContaining("add.partitions.to.txn.retry.backoff.ms");
  }

  @Test
  void aGivenClusterKeepsItsOwnTransactionProtocol() {
    assertThatThrownBy(() -> new BrokerChoice(GIVEN, false, List.of(), (short) 1, Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("transaction.version");
  }
}
