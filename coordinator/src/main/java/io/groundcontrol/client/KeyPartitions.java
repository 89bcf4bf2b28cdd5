package io.groundcontrol.client;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.Utils;

/**
 * Where Kafka's default partitioner puts a keyed record: murmur2 of the key's UTF-8 bytes, modulo
 * the partition count. The coordinator's outputs keyed by mission id (its sinks set no partitioner)
 * and its inputs from well-behaved producers land there.
 */
public final class KeyPartitions {
  private KeyPartitions() {}

  /** The partition of {@code key} among {@code partitions}. */
  public static int of(String key, int partitions) {
    return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
  }
}
