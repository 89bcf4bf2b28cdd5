package io.groundcontrol.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.client.SchedulePublisher;
import io.groundcontrol.mission.TestPlan;
import io.groundcontrol.schedule.ScheduleFile;
import io.groundcontrol.testing.GroundcontrolFixture;
import io.groundcontrol.testing.KafkaBrokerExtension;
import io.groundcontrol.testing.Poll;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Applying a trigger on an existing topic makes the coordinator replace its Kafka Streams; the
 * API's reads, readiness and metrics follow the new one instead of the closed one.
 */
class ReadSideAfterTriggerRestartIT {
  @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();
  private static final Duration LONG = Duration.ofSeconds(60);
  private static final Pattern ALIVE_THREADS =
      Pattern.compile("(?m)^kafka_stream_alive_stream_threads\\{[^}]*} (\\S+)$");

  @Test
  void readsReadinessAndMetricsFollowTheStreamsATriggerTopicRestarted() throws Exception {
    GroundcontrolFixture groundcontrol = new GroundcontrolFixture(KAFKA, "rs-trig");
    try (ApiInstance a = ApiInstance.start(groundcontrol.coordinatorConfig(), 2)) {
      String viewer = TestKeys.create(groundcontrol).viewer();
      ApiInstance.awaitEverywhere(List.of(a), "/api/v1/missions", viewer);
      groundcontrol.apply(TestPlan.named("score").stage("a", "nobody").build());
      // Metrics bind Kafka Streams' meters at the first scrape: this one binds the streams about to be replaced.
      assertThat(aliveThreads(Http.get(a.base() + "/metrics", viewer).expect(200).body())).containsExactly(1.0);
      KafkaStreams before = a.coordinator.streams();

      String topic = groundcontrol.topics().prefix() + "-exports";
      try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, groundcontrol.bootstrapServers()))) {
        admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1))).all().get(30, TimeUnit.SECONDS);
      }
      try (SchedulePublisher publisher = new SchedulePublisher(groundcontrol.connection(), groundcontrol.topics(), 2)) {
        publisher.apply(ScheduleFile.parse("""
            triggers:
              - name: rescore
                topic: %s
                when: { status: done }
                plan: score
                key: ${event.export_id}
            """.formatted(topic), "triggers.yaml"));
      }
      Poll.until(() -> a.coordinator.streams() != before
          && a.coordinator.streams().state() == KafkaStreams.State.RUNNING, LONG, "the streams restarted with the trigger topic");
      assertThat(before.state()).isEqualTo(KafkaStreams.State.NOT_RUNNING);

      Http.poll(a.base() + "/api/v1/missions", viewer, r -> r.status() == 200, LONG);
      Http.poll(a.base() + "/api/v1/plans/score", viewer, r -> r.status() == 200, LONG);
      Http.get(a.base() + "/health/ready", null).expect(200);
      assertThat(aliveThreads(Http.get(a.base() + "/metrics", viewer).expect(200).body()))
          .as("the new streams' meters, bound once").containsExactly(1.0);
    } finally {
      groundcontrol.close();
    }
  }

  private static List<Double> aliveThreads(String metrics) {
    Matcher matcher = ALIVE_THREADS.matcher(metrics);
    return matcher.results().map(result -> Double.parseDouble(result.group(1))).toList();
  }
}
