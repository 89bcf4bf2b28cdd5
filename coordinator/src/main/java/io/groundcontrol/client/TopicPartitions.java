package io.groundcontrol.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

/** How the tools' readers find a topic's partitions and set up the consumer that reads them. */
public final class TopicPartitions {
  /**
   * How long a reader waits for a topic's partitions unless told otherwise: its first request, so
   * the wait for a cluster that does not answer at all ({@link NoAnswerException#FIRST_ANSWER}).
   */
  public static final Duration LOOKUP_TIMEOUT = NoAnswerException.FIRST_ANSWER;

  private TopicPartitions() {}

  /** The partitions of {@code topic} in partition order; empty if it does not exist. */
  public static List<TopicPartition> of(Consumer<?, ?> consumer, String topic) {
    return of(consumer, topic, LOOKUP_TIMEOUT);
  }

  /**
   * As {@link #of(Consumer, String)}, waiting at most {@code timeout} for Kafka.
   *
   * @throws NoAnswerException if Kafka did not tell them in time
   */
  public static List<TopicPartition> of(Consumer<?, ?> consumer, String topic, Duration timeout) {
    List<PartitionInfo> infos =
        NoAnswerException.firstAnswer("topic " + topic, timeout, () -> consumer.partitionsFor(topic, timeout));
    List<TopicPartition> partitions = new ArrayList<>();
    if (infos != null) {
      infos.forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
    }
    partitions.sort(Comparator.comparingInt(TopicPartition::partition));
    return partitions;
  }

  /**
   * Runs {@code setUp} on a consumer a reader's constructor just made, and closes the consumer if
   * it fails: a constructor that throws leaves its caller nothing to close, and a lookup that times
   * out, is interrupted or is refused would otherwise leave a client with its threads behind, one
   * per attempt of a caller that tries again.
   */
  public static <T> T setUpOrClose(Consumer<?, ?> consumer, Supplier<T> setUp) {
    try {
      return setUp.get();
    } catch (RuntimeException e) {
      try {
        consumer.close();
      } catch (RuntimeException closing) {
        e.addSuppressed(closing);
      }
      throw e;
    }
  }
}
