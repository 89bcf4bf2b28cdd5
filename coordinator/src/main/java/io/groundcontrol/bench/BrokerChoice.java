package io.groundcontrol.bench;

import io.groundcontrol.client.KafkaConnection;
import java.util.List;

/**
 * The Kafka a benchmark runs against.
 *
 * @param cluster an existing cluster, or null to start an embedded broker
 * @param ownProcess whether an embedded broker runs in a JVM of its own rather than in the benchmark's
 * @param jvmOptions JVM options of that JVM of its own
 * @param transactionVersion the {@code transaction.version} feature level (KIP-890) an embedded broker is
 *     set to before the run, or null to leave its default (2 on Kafka 4)
 */
record BrokerChoice(KafkaConnection cluster, boolean ownProcess, List<String> jvmOptions, Short transactionVersion) {
  BrokerChoice {
    jvmOptions = List.copyOf(jvmOptions);
    if (cluster != null && transactionVersion != null) {
      throw new IllegalArgumentException("A given cluster keeps its own transaction.version; only an embedded broker's is set");
    }
    if (transactionVersion != null && transactionVersion < 0) {
      throw new IllegalArgumentException("Expected a transaction.version of 0 or more, but got " + transactionVersion);
    }
  }
}
