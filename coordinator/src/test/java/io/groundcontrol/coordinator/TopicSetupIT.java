package io.groundcontrol.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.groundcontrol.schema.wire.TopicNames;
import io.groundcontrol.testing.KafkaBrokerExtension;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every input of the missions processor takes the partition count the commands topic has, whoever
 * created it: a result's answer or a report on a partition that does not hold its mission would
 * be lost or wait for ever.
 */
class TopicSetupIT {
  @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

  @Test
  void theMissionsInputsTakeTheCommandsTopicsCountWhateverTheSetupSays() throws Exception {
    TopicNames names = new TopicNames(KAFKA.uniquePrefix("copart"));
    KAFKA.createTopic(names.missionCommands(), 3);

    new TopicSetup(6, (short) 1).ensureCoreTopics(KAFKA.admin(), names);

    for (String topic : List.of(names.stageReports(), names.resultsAnswers(), names.admissionGrants(),
        names.missionAdmissions())) {
      assertThat(KAFKA.partitionCount(topic)).as(topic).isEqualTo(3);
    }
  }

  @Test
  void anExistingAnswersTopicOfAnotherCountIsRefusedByName() {
    TopicNames names = new TopicNames(KAFKA.uniquePrefix("mismatch"));
    KAFKA.createTopic(names.missionCommands(), 3);
    KAFKA.createTopic(names.resultsAnswers(), 6);

    assertThatThrownBy(() -> new TopicSetup(3, (short) 1).ensureCoreTopics(KAFKA.admin(), names))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("Expected topic " + names.resultsAnswers() + " to have as many partitions as "
            + names.missionCommands() + " (3), but it has 6: results index answers would reach the wrong missions;"
            + " recreate it with 3 partitions");
  }

  @Test
  void theSchedulersInputsMustShareTheSchedulesTopicsCount() {
    TopicNames names = new TopicNames(KAFKA.uniquePrefix("schedmismatch"));
    KAFKA.createTopic(names.schedules(), 3);
    KAFKA.createTopic(names.scheduleCommands(), 6);

    assertThatThrownBy(() -> new TopicSetup(3, (short) 1).ensureCoreTopics(KAFKA.admin(), names))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("Expected topic " + names.scheduleCommands() + " to have as many partitions as "
            + names.schedules() + " (3), but it has 6: schedule commands would reach the wrong schedules;"
            + " recreate it with 3 partitions");
  }

  @Test
  void partitionsAddedToTheCommandsTopicOfAnInstallationWithRecordsAreNotToBeUndoneByRecreating() throws Exception {
    TopicNames names = new TopicNames(KAFKA.uniquePrefix("grown"));
    new TopicSetup(3, (short) 1).ensureCoreTopics(KAFKA.admin(), names);
    Map<String, Object> settings = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(settings, new StringSerializer(),
        new StringSerializer())) {
      producer.send(new ProducerRecord<>(names.stageReports(), "m1", "a report")).get();
    }
    KAFKA.admin().createPartitions(Map.of(names.missionCommands(), NewPartitions.increaseTo(4))).all().get();
    awaitPartitions(names.missionCommands(), 4);

    assertThatThrownBy(() -> new TopicSetup(3, (short) 1).ensureCoreTopics(KAFKA.admin(), names))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("Topic " + names.missionCommands() + " has 4 partitions and " + names.stageReports() + " has 3, "
            + "and they hold records already: " + PartitionLayout.WAY_OUT);
  }

  /**
   * Waits until the broker describes {@code count} partitions of {@code topic}: it acknowledges added
   * partitions before its own metadata has them, and a setup that came at once read the old count.
   */
  private static void awaitPartitions(String topic, int count) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (KAFKA.partitionCount(topic) != count) {
      assertThat(System.nanoTime() - deadline).as("%s described with %d partitions within 30 s", topic, count).isNegative();
      Thread.sleep(20); // the broker's metadata has no event to wait for
    }
  }
}
