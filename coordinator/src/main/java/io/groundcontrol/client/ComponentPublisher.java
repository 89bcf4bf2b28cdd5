package io.groundcontrol.client;

import io.groundcontrol.coordinator.TopicSetup;
import io.groundcontrol.schema.ComponentSettings;
import io.groundcontrol.schema.wire.AvroSerde;
import io.groundcontrol.schema.wire.TopicNames;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Applies component settings: writes each under its component name to the compacted components
 * topic, which every coordinator instance reads as a global store; a changed cap applies within
 * a tick of the admission sub-topology, without restarts.
 */
public final class ComponentPublisher implements AutoCloseable {
  private final Admin admin;
  private final Producer<String, ComponentSettings> producer;
  private final TopicNames topics;
  private final InstallationSetup setup;
  private final WriteWait wait;

  /**
   * A publisher to the installation named by {@code topics}; topics it creates get {@code partitions}
   * if the installation has none yet, else the count its mission-commands topic has. Its applies
   * wait as a tool's do ({@link WriteWait#TOOLS}).
   */
  public ComponentPublisher(KafkaConnection kafka, TopicNames topics, int partitions) {
    this(kafka, topics, partitions, WriteWait.TOOLS);
  }

  /** As {@link #ComponentPublisher(KafkaConnection, TopicNames, int)}, each apply waiting at most {@code wait} for Kafka. */
  public ComponentPublisher(KafkaConnection kafka, TopicNames topics, int partitions, WriteWait wait) {
    this(wait.admin(kafka), new KafkaProducer<>(wait.producer(kafka), new StringSerializer(),
        AvroSerde.of(ComponentSettings.class).serializer()), topics, partitions, wait);
  }

  private ComponentPublisher(Admin admin, Producer<String, ComponentSettings> producer, TopicNames topics,
      int partitions, WriteWait wait) {
    this(admin, producer, topics, new InstallationSetup(admin, topics, partitions), wait);
  }

  /** A publisher through the given clients: how tests stand in for a cluster that does not answer. */
  ComponentPublisher(Admin admin, Producer<String, ComponentSettings> producer, TopicNames topics, TopicSetup setup,
      WriteWait wait) {
    this(admin, producer, topics, new InstallationSetup(setup), wait);
  }

  private ComponentPublisher(Admin admin, Producer<String, ComponentSettings> producer, TopicNames topics,
      InstallationSetup setup, WriteWait wait) {
    this.admin = admin;
    this.producer = producer;
    this.topics = topics;
    this.setup = setup;
    this.wait = wait;
  }

  /**
   * Writes every setting and waits, within the wait, until the broker has them all.
   *
   * @throws WriteNotTakenException if Kafka did not take them all in time
   */
  public void apply(List<ComponentSettings> settings) {
    WriteWait.Write write = wait.begin("component settings of " + settings.stream()
        .map(setting -> "'" + setting.getComponent() + "'").collect(Collectors.joining(", ")),
        "Some may still be written: applying the same settings again is safe (each replaces its component's)");
    write.step(() -> setup.of(write).ensureCoreTopics(admin, topics, write.remaining()));
    List<Future<RecordMetadata>> sent = new ArrayList<>();
    for (ComponentSettings setting : settings) {
      sent.add(producer.send(new ProducerRecord<>(topics.components(), setting.getComponent(), setting)));
    }
    sent.forEach(write::await);
  }

  @Override
  public void close() {
    producer.close();
    admin.close();
  }
}
