package io.groundcontrol.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.common.PartitionInfo;

/**
 * A consumer whose cluster never tells a topic's partitions: each lookup times out at once, as
 * Kafka's own does after its wait, and the wait it was given is recorded in {@link #asked}.
 */
public final class UnansweringConsumer extends MockConsumer<String, byte[]> {
  /** The waits the lookups were given, in order. */
  public final List<Duration> asked = new ArrayList<>();

  public UnansweringConsumer() {
    super(OffsetResetStrategy.EARLIEST);
  }

  @Override
  public synchronized List<PartitionInfo> partitionsFor(String topic, Duration timeout) {
    asked.add(timeout);
    throw new org.apache.kafka.common.errors.TimeoutException("Timeout expired while fetching topic metadata");
  }
}
