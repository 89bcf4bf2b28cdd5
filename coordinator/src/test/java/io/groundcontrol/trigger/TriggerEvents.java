package io.groundcontrol.trigger;

import io.groundcontrol.client.SchedulePublisher;
import io.groundcontrol.schedule.ScheduleFile;
import io.groundcontrol.testing.GroundcontrolFixture;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/** A user's side of event triggers in real-broker tests: the topic, the triggers file, the events. */
final class TriggerEvents {
  private TriggerEvents() {}

  /** Creates {@code topic} with two partitions, as a user would before applying its trigger. */
  static void createTopic(GroundcontrolFixture groundcontrol, String topic) throws Exception {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, groundcontrol.bootstrapServers()))) {
      admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1))).all().get(30, TimeUnit.SECONDS);
    }
  }

  /** Applies a schedules file's {@code yaml}, as {@code schedule apply} does. */
  static void apply(GroundcontrolFixture groundcontrol, String yaml) {
    try (SchedulePublisher publisher = new SchedulePublisher(groundcontrol.connection(), groundcontrol.topics(), 2)) {
      publisher.apply(ScheduleFile.parse(yaml, "triggers.yaml"));
    }
  }

  /** Writes {@code events} to {@code topic}, without keys, in their order, and waits until all are written. */
  static void send(GroundcontrolFixture groundcontrol, String topic, List<String> events) {
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, groundcontrol.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all"),
        new StringSerializer(), new StringSerializer())) {
      events.forEach(event -> producer.send(new ProducerRecord<>(topic, event)));
      producer.flush();
    }
  }
}
