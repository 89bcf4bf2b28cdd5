package io.groundcontrol.testing;

import java.lang.reflect.Field;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.TopologyTestDriver;

/**
 * Sets where a {@link TopologyTestDriver} puts the next record of an input partition, as a record
 * read again after a crash (at-least-once) or one of a topic deleted and created again. The driver
 * numbers each partition's records itself and has no way to read one again, hence the reflection.
 */
public final class DriverOffsets {
  private DriverOffsets() {}

  /** Makes the next record piped to partition 0 of {@code topic} land at {@code offset}. */
  public static void setNext(TopologyTestDriver driver, String topic, long offset) {
    counter(driver, topic).set(offset);
  }

  /** Pipes {@code pipe} at {@code offset} of partition 0 of {@code topic}, then goes on where the driver was. */
  public static void pipeAt(TopologyTestDriver driver, String topic, long offset, Runnable pipe) {
    AtomicLong next = counter(driver, topic);
    long was = next.get();
    next.set(offset);
    pipe.run();
    next.set(was);
  }

  @SuppressWarnings("unchecked")
  private static AtomicLong counter(TopologyTestDriver driver, String topic) {
    try {
      Field field = TopologyTestDriver.class.getDeclaredField("offsetsByTopicOrPatternPartition");
      field.setAccessible(true);
      return ((Map<TopicPartition, AtomicLong>) field.get(driver)).get(new TopicPartition(topic, 0));
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(
          "Expected TopologyTestDriver to number records in offsetsByTopicOrPatternPartition", e);
    }
  }
}
