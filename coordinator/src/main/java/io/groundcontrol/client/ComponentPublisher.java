package io.groundcontrol.client;

import io.groundcontrol.coordinator.TopicSetup;
import io.groundcontrol.schema.ComponentSettings;
import io.groundcontrol.schema.wire.AvroSerde;
import io.groundcontrol.schema.wire.TopicNames;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Applies component settings: writes each under its component name to the compacted components
 * topic, which every coordinator instance reads as a global store; a changed cap applies within
 * a tick of the admission sub-topology, without restarts.
 */
public final class ComponentPublisher implements AutoCloseable {
  private final Admin admin;
  private final KafkaProducer<String, ComponentSettings> producer;
  private final TopicNames topics;
  private final TopicSetup setup;

  /**
   * A publisher to the installation named by {@code topics}; topics it creates get {@code partitions}
   * if the installation has none yet, else the count its mission-commands topic has.
   */
  public ComponentPublisher(KafkaConnection kafka, TopicNames topics, int partitions) {
    this.admin = kafka.admin();
    this.producer = new KafkaProducer<>(KafkaClients.producer(kafka), new StringSerializer(),
        AvroSerde.of(ComponentSettings.class).serializer());
    this.topics = topics;
    this.setup = TopicSetup.forInstallation(admin, topics, partitions);
  }

  /** Writes every setting and waits until the broker has them all. */
  public void apply(List<ComponentSettings> settings) {
    setup.ensureCoreTopics(admin, topics);
    try {
      for (ComponentSettings setting : settings) {
        producer.send(new ProducerRecord<>(topics.components(), setting.getComponent(), setting))
            .get(30, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while applying component settings", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("Could not apply component settings: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    producer.close();
    admin.close();
  }
}
