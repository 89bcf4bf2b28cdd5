package io.groundcontrol.client;

import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * Client settings shared by the tools: low latency, durable writes, committed reads, on top of the
 * connection's own settings (security, timeouts).
 */
public final class KafkaClients {
  private KafkaClients() {}

  public static Map<String, Object> producer(KafkaConnection kafka) {
    Map<String, Object> props = kafka.clientConfig();
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    return props;
  }

  /** A consumer outside any group: tools read by assignment and never commit. */
  public static Map<String, Object> reader(KafkaConnection kafka) {
    Map<String, Object> props = kafka.clientConfig();
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, "groundcontrol-reader-" + UUID.randomUUID());
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
    // A tool reads to the end and stops: waiting for a full fetch only delays it.
    props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 50);
    return props;
  }
}
