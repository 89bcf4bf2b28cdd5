package io.groundcontrol.bench;

import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaClientSupplier;

/**
 * Kafka Streams' clients, with a producer that stamps the start and end of each commit into the
 * {@linkplain HandoffTrace#active() active trace}: Kafka Streams flushes the producer, sends the
 * input offsets, then commits the transaction. The main consumer's polls and the producer's commit
 * calls also add up the stream thread's time blocked in each.
 */
final class TracingClientSupplier implements KafkaClientSupplier {

  @Override
  public Admin getAdmin(Map<String, Object> config) {
    return Admin.create(config);
  }

  @Override
  public Producer<byte[], byte[]> getProducer(Map<String, Object> config) {
    return new CommitStampingProducer(config);
  }

  @Override
  public Consumer<byte[], byte[]> getConsumer(Map<String, Object> config) {
    return new PollTimingConsumer(config);
  }

  @Override
  public Consumer<byte[], byte[]> getRestoreConsumer(Map<String, Object> config) {
    return consumer(config);
  }

  @Override
  public Consumer<byte[], byte[]> getGlobalConsumer(Map<String, Object> config) {
    return consumer(config);
  }

  private static Consumer<byte[], byte[]> consumer(Map<String, Object> config) {
    return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  private static final class CommitStampingProducer extends KafkaProducer<byte[], byte[]> {
    CommitStampingProducer(Map<String, Object> config) {
      super(config, new ByteArraySerializer(), new ByteArraySerializer());
    }

    @Override
    public void flush() {
      long start = begun();
      super.flush();
      spent(start);
    }

    @Override
    public void sendOffsetsToTransaction(Map<TopicPartition, OffsetAndMetadata> offsets, ConsumerGroupMetadata metadata) {
      long start = begun();
      super.sendOffsetsToTransaction(offsets, metadata);
      spent(start);
    }

    @Override
    public void commitTransaction() {
      long start = System.nanoTime();
      super.commitTransaction();
      long end = System.nanoTime();
      HandoffTrace trace = HandoffTrace.active();
      if (trace != null) {
        trace.inCommit(end - start);
        trace.committed(end);
      }
    }

    private static long begun() {
      long now = System.nanoTime();
      HandoffTrace trace = HandoffTrace.active();
      if (trace != null) {
        trace.commitBegun(now);
      }
      return now;
    }

    private static void spent(long start) {
      HandoffTrace trace = HandoffTrace.active();
      if (trace != null) {
        trace.inCommit(System.nanoTime() - start);
      }
    }
  }

  /** The stream thread's main consumer, timing each poll into the active trace. */
  private static final class PollTimingConsumer extends KafkaConsumer<byte[], byte[]> {
    PollTimingConsumer(Map<String, Object> config) {
      super(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    @Override
    public ConsumerRecords<byte[], byte[]> poll(Duration timeout) {
      long start = System.nanoTime();
      ConsumerRecords<byte[], byte[]> records = super.poll(timeout);
      HandoffTrace trace = HandoffTrace.active();
      if (trace != null) {
        trace.polled(System.nanoTime() - start);
      }
      return records;
    }
  }
}
