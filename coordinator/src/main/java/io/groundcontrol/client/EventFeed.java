package io.groundcontrol.client;

import io.groundcontrol.schema.MissionEvent;
import io.groundcontrol.schema.wire.AvroSerde;
import io.groundcontrol.schema.wire.TopicNames;
import io.groundcontrol.schema.wire.WireFormatException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mission-events log as it grows, read once per process and handed to every listener: the
 * answers to commands sent through the API, the live event streams, the metrics. Starts at the
 * log's end; reads committed events only.
 */
public final class EventFeed implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EventFeed.class);

  private final KafkaConsumer<String, byte[]> consumer;
  private final AvroSerde<MissionEvent> serde = AvroSerde.of(MissionEvent.class);
  private final List<Consumer<MissionEvent>> listeners = new CopyOnWriteArrayList<>();
  private final TopicFollower follower;

  public EventFeed(KafkaConnection kafka, TopicNames topics) {
    this.consumer = new KafkaConsumer<>(KafkaClients.reader(kafka), new StringDeserializer(),
        new ByteArrayDeserializer());
    List<TopicPartition> partitions = new ArrayList<>();
    List<PartitionInfo> infos = consumer.partitionsFor(topics.missionEvents(), Duration.ofSeconds(30));
    if (infos == null || infos.isEmpty()) {
      consumer.close();
      throw new IllegalStateException("Expected topic " + topics.missionEvents() + " to exist, but it does not");
    }
    infos.forEach(info -> partitions.add(new TopicPartition(info.topic(), info.partition())));
    consumer.assign(partitions);
    Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
    end.forEach(consumer::seek);
    this.follower = new TopicFollower("groundcontrol-event-feed", consumer, this::deliver);
  }

  /** Calls {@code listener} with every event from now on, on the feed's thread; it must not block. */
  public AutoCloseable subscribe(Consumer<MissionEvent> listener) {
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  private void deliver(ConsumerRecords<String, byte[]> records) {
    for (ConsumerRecord<String, byte[]> record : records) {
      if (record.value() == null) {
        continue;
      }
      MissionEvent event;
      try {
        event = serde.deserializer().deserialize(record.topic(), record.value());
      } catch (WireFormatException e) {
        continue;
      }
      for (Consumer<MissionEvent> listener : listeners) {
        try {
          listener.accept(event);
        } catch (RuntimeException e) {
          LOG.warn("An event listener failed on event {} of mission '{}'", event.getSequence(), event.getMissionId(), e);
        }
      }
    }
  }

  @Override
  public void close() {
    follower.close();
  }
}
