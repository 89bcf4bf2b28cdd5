package io.groundcontrol.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.groundcontrol.client.SchedulePublisher;
import io.groundcontrol.coordinator.Coordinator;
import io.groundcontrol.coordinator.CoordinatorConfig;
import io.groundcontrol.coordinator.TopicSetup;
import io.groundcontrol.schedule.ScheduleFile;
import io.groundcontrol.schema.wire.TopicNames;
import io.groundcontrol.testing.Poll;
import io.groundcontrol.testing.SecuredKafka;
import io.groundcontrol.testing.TestDirs;
import io.groundcontrol.trigger.TriggerStatus;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Triggers on topics the coordinator may not read, on a secured cluster: the coordinator runs
 * without them (each logged as an error naming the trigger and the topic, and listed as inert with
 * why) and reads a topic once READ on it is granted, instead of stopping.
 */
class TriggerTopicAclIT {
  private static final TopicNames TOPICS = new TopicNames("tacl");
  private static final String PRINCIPAL = "User:tacl";
  private static SecuredKafka kafka;

  @BeforeAll
  static void startSecuredKafka() {
    kafka = SecuredKafka.start();
    kafka.createUsers(Map.of("tacl", "tacl-secret"));
  }

  @AfterAll
  static void stop() {
    if (kafka != null) {
      kafka.close();
    }
  }

  @Test
  void triggersOnTopicsItMayNotReadStayInertWhileTheCoordinatorRunsAndReadsThemOnceGranted() throws Exception {
    try (Admin admin = kafka.superUser().admin()) {
      AclInstaller.apply(admin, new RoleAcls(TOPICS, "tacl-coordinator").grants(Role.COORDINATOR, null), PRINCIPAL);
      AclInstaller.apply(admin, List.of(topicGrant("tacl-exports", AclOperation.DESCRIBE)), PRINCIPAL);
      new TopicSetup(2, (short) 1).ensureCoreTopics(admin, TOPICS);
      admin.createTopics(List.of(new NewTopic("tacl-exports", 2, (short) 1), new NewTopic("tacl-hidden", 2, (short) 1)))
          .all().get(30, TimeUnit.SECONDS);
    }
    try (SchedulePublisher publisher = new SchedulePublisher(kafka.superUser(), TOPICS, 2)) {
      publisher.apply(ScheduleFile.parse("""
          triggers:
            - name: rescore
              topic: tacl-exports
              plan: score
              key: ${event.export_id}
            - name: secret
              topic: tacl-hidden
              plan: score
              key: ${event.id}
          """, "triggers.yaml"));
    }
    CoordinatorConfig config = CoordinatorConfig.defaults(kafka.bootstrapServers(), TestDirs.create("gc-tacl-state-"))
        .withTopics(TOPICS, "tacl-coordinator")
        .withConnection(kafka.user("tacl", "tacl-secret"));

    try (Coordinator coordinator = Coordinator.start(config, new TopicSetup(2, (short) 1), Duration.ofMinutes(2))) {
      KafkaStreams withoutTriggerTopics = coordinator.streams();
      assertThat(coordinator.stopped()).isEmpty();
      assertThat(coordinator.triggers()).extracting(TriggerStatus::name, TriggerStatus::state).containsExactly(
          tuple("rescore", TriggerStatus.State.INERT), tuple("secret", TriggerStatus.State.INERT));
      assertThat(coordinator.triggers().get(0).reason()).contains("(" + PRINCIPAL + ") describe its topic 'tacl-exports'"
          + " but not read it");
      assertThat(coordinator.triggers().get(1).reason()).contains(PRINCIPAL).contains("topic 'tacl-hidden'");

      try (Admin admin = kafka.superUser().admin()) {
        AclInstaller.apply(admin, List.of(topicGrant("tacl-exports", AclOperation.READ)), PRINCIPAL);
      }
      Poll.until(() -> coordinator.streams() != withoutTriggerTopics
          && coordinator.streams().state() == KafkaStreams.State.RUNNING, Duration.ofSeconds(90),
          "the coordinator restarted its streams to read tacl-exports");
      assertThat(coordinator.stopped()).isEmpty();
      assertThat(coordinator.triggers()).extracting(TriggerStatus::name, TriggerStatus::state).containsExactly(
          tuple("rescore", TriggerStatus.State.ACTIVE), tuple("secret", TriggerStatus.State.INERT));
    }
  }

  private static Grant topicGrant(String topic, AclOperation operation) {
    return Grant.literal(ResourceType.TOPIC, topic, "test", operation);
  }
}
