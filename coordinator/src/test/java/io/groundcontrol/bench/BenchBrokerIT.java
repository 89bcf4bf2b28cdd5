package io.groundcontrol.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.groundcontrol.client.KafkaSettingsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;

/**
 * {@code bench --broker-process}: the embedded broker in a JVM of its own, its CPU counted, nothing left
 * behind; {@code bench --transaction-version}: the embedded broker on the transaction protocol asked for;
 * {@code bench --broker-property}: broker configs reach the broker, in either JVM.
 */
class BenchBrokerIT {
  @Test
  void aBrokerInAProcessOfItsOwnServesCountsItsCpuAndIsGoneWhenClosed() throws Exception {
    String bootstrap;
    Path dataDir;
    try (BenchBroker broker = BenchBroker.start(new BrokerChoice(null, true, List.of("-XX:+UseSerialGC"), null,
        Map.of("add.partitions.to.txn.retry.backoff.ms", "7")), 3)) {
      bootstrap = broker.connection().bootstrapServers();
      dataDir = broker.dataDir();
      try (Admin admin = broker.connection().admin()) {
        assertThat(admin.describeCluster().nodes().get(30, TimeUnit.SECONDS)).hasSize(1);
      }
      assertThat(broker.describe()).contains("in a JVM of its own").contains("-XX:+UseSerialGC")
          .contains("transaction.version")
          .as("a broker config given reaches the child's broker").contains("add.partitions.to.txn.retry.backoff.ms 7 ms");
      assertThat(ChildProcesses.cpuNanos()).as("the child's CPU counts as the benchmark's").isPositive();
      assertThat(dataDir).isDirectory();
    }

    assertThat(ChildProcesses.cpuNanos()).isZero();
    assertThat(Files.exists(dataDir)).as("scratch directory deleted").isFalse();
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000, AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 1000))) {
      assertThatThrownBy(() -> admin.describeCluster().nodes().get(10, TimeUnit.SECONDS))
          .as("no broker left at " + bootstrap).isInstanceOf(ExecutionException.class);
    }
  }

  @Test
  void theBrokersJvmOptionsReachItsJvm() {
    assertThatThrownBy(() -> BenchBroker.start(new BrokerChoice(null, true, List.of("-XX:+NoSuchCollectorOption"), null, Map.of()), 3).close())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("NoSuchCollectorOption");
    assertThat(ChildProcesses.cpuNanos()).isZero();
  }

  @Test
  void anEmbeddedBrokerRunsTheTransactionProtocolAskedForAndRefusesOneItDoesNotKnow() throws Exception {
    try (BenchBroker broker = BenchBroker.start(new BrokerChoice(null, false, List.of(), (short) 1, Map.of()), 3)) {
      assertThat(broker.describe()).contains("in this JVM").contains("transaction.version 1,")
          .as("the embedded node's own retry backoff").endsWith("add.partitions.to.txn.retry.backoff.ms 5 ms");
      try (Admin admin = broker.connection().admin()) {
        assertThat(admin.describeFeatures().featureMetadata().get(30, TimeUnit.SECONDS).finalizedFeatures()
            .get("transaction.version").maxVersionLevel()).isEqualTo((short) 1);
      }
    }
    assertThatThrownBy(() -> BenchBroker.start(new BrokerChoice(null, false, List.of(), (short) 99, Map.of()), 3).close())
        .isInstanceOf(KafkaSettingsException.class)
        .hasMessageContaining("transaction.version to 99");
  }
}
