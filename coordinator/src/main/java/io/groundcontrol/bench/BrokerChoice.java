package io.groundcontrol.bench;

import io.groundcontrol.client.KafkaConnection;
import java.util.List;
import java.util.Map;

/**
 * The Kafka a benchmark runs against.
 *
 * @param cluster an existing cluster, or null to start an embedded broker
 * @param ownProcess whether an embedded broker runs in a JVM of its own rather than in the benchmark's
 * @param jvmOptions JVM options of that JVM of its own
 * @param transactionVersion the {@code transaction.version} feature level (KIP-890) an embedded broker is
 *     set to before the run, or null to leave its default (2 on Kafka 4)
 * @param properties broker configs of an embedded broker, over the embedded node's own
 */
record BrokerChoice(KafkaConnection cluster, boolean ownProcess, List<String> jvmOptions, Short transactionVersion,
    Map<String, String> properties) {
  BrokerChoice {
    jvmOptions = List.copyOf(jvmOptions);
    properties = Map.copyOf(properties);
    if (cluster != null && transactionVersion != null) {
      throw new IllegalArgumentException("A given cluster keeps its own transaction.version; only an embedded broker's is set");
    }
    if (cluster != null && !properties.isEmpty()) {
      throw new IllegalArgumentException("A given cluster keeps its own broker configs; only an embedded broker's are set, but got "
          + properties.keySet());
    }
    if (transactionVersion != null && transactionVersion < 0) {
      throw new IllegalArgumentException("Expected a transaction.version of 0 or more, but got " + transactionVersion);
    }
  }
}
