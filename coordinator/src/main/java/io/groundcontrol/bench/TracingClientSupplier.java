package io.groundcontrol.bench;

import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
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
 * input offsets, then commits the transaction.
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
    return consumer(config);
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
      begun();
      super.flush();
    }

    @Override
    public void sendOffsetsToTransaction(Map<TopicPartition, OffsetAndMetadata> offsets, ConsumerGroupMetadata metadata) {
      begun();
      super.sendOffsetsToTransaction(offsets, metadata);
    }

    @Override
    public void commitTransaction() {
      super.commitTransaction();
      HandoffTrace trace = HandoffTrace.active();
      if (trace != null) {
        trace.committed(System.nanoTime());
      }
    }

    private static void begun() {
      HandoffTrace trace = HandoffTrace.active();
      if (trace != null) {
        trace.commitBegun(System.nanoTime());
      }
    }
  }
}
