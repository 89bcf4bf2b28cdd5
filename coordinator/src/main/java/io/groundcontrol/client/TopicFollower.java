package io.groundcontrol.client;

import java.time.Duration;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;

/**
 * A consumer polled on a thread of its own until closed, handing each batch to {@code onBatch}
 * on that thread. Owns the consumer: closing the follower wakes and closes it.
 */
final class TopicFollower implements AutoCloseable {
  private static final Duration POLL = Duration.ofMillis(200);

  private final KafkaConsumer<String, byte[]> consumer;
  private final Thread thread;
  private volatile boolean closed;

  TopicFollower(String name, KafkaConsumer<String, byte[]> consumer, Consumer<ConsumerRecords<String, byte[]>> onBatch) {
    this.consumer = consumer;
    this.thread = new Thread(() -> {
      try {
        while (!closed) {
          onBatch.accept(consumer.poll(POLL));
        }
      } catch (WakeupException e) {
        // closing
      } finally {
        consumer.close();
      }
    }, name);
    thread.setDaemon(true);
    thread.start();
  }

  /** Stops polling and closes the consumer; waits up to 5 s for the thread. */
  @Override
  public void close() {
    closed = true;
    consumer.wakeup();
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
