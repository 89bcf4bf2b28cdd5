package io.groundcontrol.bench;

import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerInterceptor;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerInterceptor;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The probe a traced scenario puts on its Kafka clients ({@code interceptor.classes}): stamps every
 * record produced and every record a poll returns into the {@linkplain HandoffTrace#active() active
 * trace}. One class for both sides, because the worker SDK gives the same properties to its
 * consumer and its producer.
 */
public final class TraceInterceptor implements ProducerInterceptor<Object, Object>, ConsumerInterceptor<Object, Object> {

  @Override
  public ProducerRecord<Object, Object> onSend(ProducerRecord<Object, Object> record) {
    HandoffTrace trace = HandoffTrace.active();
    if (trace != null && record.key() != null) {
      trace.produced(record.topic(), record.key(), System.nanoTime());
    }
    return record;
  }

  @Override
  public ConsumerRecords<Object, Object> onConsume(ConsumerRecords<Object, Object> records) {
    HandoffTrace trace = HandoffTrace.active();
    if (trace != null) {
      long now = System.nanoTime();
      for (ConsumerRecord<Object, Object> record : records) {
        if (record.key() != null) {
          trace.consumed(record.topic(), record.key(), now);
        }
      }
    }
    return records;
  }

  @Override
  public void onAcknowledgement(RecordMetadata metadata, Exception exception) {}

  @Override
  public void onCommit(Map<TopicPartition, OffsetAndMetadata> offsets) {}

  @Override
  public void close() {}

  @Override
  public void configure(Map<String, ?> configs) {}
}
