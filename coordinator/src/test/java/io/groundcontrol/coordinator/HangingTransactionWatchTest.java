package io.groundcontrol.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.client.KafkaConnection;
import io.groundcontrol.client.OpenTransaction;
import io.groundcontrol.schema.wire.TopicNames;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** The line a coordinator logs and answers on /health/ready for a hanging transaction: what, and the command that ends it. */
class HangingTransactionWatchTest {
  private static final TopicPartition OFFSETS = new TopicPartition("__consumer_offsets", 0);
  private static final CoordinatorConfig OUTAGE = CoordinatorConfig.defaults("10.0.0.1:9092", Path.of("state"))
      .withTopics(new TopicNames("outage"), "outage-coordinator");

  @Test
  void theReasonNamesTheTransactionTheGroupAndTheCommandThatAbortsIt() {
    OpenTransaction hanging = new OpenTransaction(OFFSETS, 0, 862, 0, 4479, 1_796_612_353_150L,
        Optional.of("outage-coordinator-792725a4-1"));

    String reason = HangingTransactionWatch.reason(OUTAGE, hanging, Instant.ofEpochMilli(1_796_612_353_150L + 3_600_000));

    assertThat(reason).isEqualTo("a hanging transaction on __consumer_offsets-0 from offset 4479: producer id 0, "
        + "epoch 862, coordinator epoch 0, last written 2026-12-07T02:59:13.150Z (60 min ago), transactional id "
        + "outage-coordinator-792725a4-1 keeps the committed offsets of group outage-coordinator pending "
        + "(OffsetFetch answers UNSTABLE_OFFSET_COMMIT), and no Kafka coordinator will end it; abort it with "
        + "`groundcontrol hanging-transactions --bootstrap-servers 10.0.0.1:9092 --topic-prefix outage --partition "
        + "__consumer_offsets-0 --abort` as a principal with ClusterAction on the cluster (README \"Hanging "
        + "transactions\")");
  }

  @Test
  void theCommandNamesAnApplicationIdOfItsOwnAndAsksForAnAdministratorsSettingsOnASecuredCluster() {
    CoordinatorConfig secured = OUTAGE.withTopics(new TopicNames("outage"), "outage-blue")
        .withConnection(new KafkaConnection("10.0.0.1:9093", Map.of("security.protocol", "SASL_SSL")));

    assertThat(HangingTransactionWatch.command(secured, Optional.empty(), false)).isEqualTo("groundcontrol "
        + "hanging-transactions --bootstrap-servers 10.0.0.1:9093 --topic-prefix outage --application-id outage-blue "
        + "--kafka-config ADMIN.properties");
  }
}
