package io.groundcontrol.trigger;

import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.client.MissionLog;
import io.groundcontrol.mission.TestPlan;
import io.groundcontrol.schema.MissionStarted;
import io.groundcontrol.schema.StartDeduplicated;
import io.groundcontrol.testing.GroundcontrolFixture;
import io.groundcontrol.testing.KafkaBrokerExtension;
import io.groundcontrol.testing.Poll;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Event triggers on a real broker: a trigger applied to a running coordinator, then a burst of
 * events of which a fifth repeat a key and some are malformed. Size: {@code -Dgc.trigger.events}
 * (default 2,000 in the suite, with 20 malformed; the 10,000 with 100 malformed is a
 * command-line run).
 */
class TriggerIT {
  @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();
  private static final int EVENTS = Integer.getInteger("gc.trigger.events", 2_000);
  private static final int MALFORMED = EVENTS / 100;

  private GroundcontrolFixture groundcontrol;

  @AfterEach
  void tearDown() {
    if (groundcontrol != null) {
      groundcontrol.close();
    }
  }

  @Test
  void eachDistinctKeyStartsExactlyOneMissionAndMalformedEventsAreDeadLettered() throws Exception {
    groundcontrol = new GroundcontrolFixture(KAFKA, "triggers").startCoordinator();
    groundcontrol.apply(TestPlan.named("score").param("customer", null).stage("a", "nobody").build());
    String topic = groundcontrol.topics().prefix() + "-exports";
    TriggerEvents.createTopic(groundcontrol, topic);
    String file = """
        triggers:
          - name: rescore
            topic: %s
            when: { status: done }
            plan: score
            params: { customer: "${event.customer_id}" }
            key: ${event.export_id}
        """.formatted(topic);
    TriggerEvents.apply(groundcontrol, file);

    List<String> events = new ArrayList<>();
    int valid = EVENTS - MALFORMED;
    int distinct = valid * 4 / 5;
    for (int i = 0; i < valid; i++) {
      int key = i < distinct ? i : i % distinct;
      events.add("{\"status\":\"done\",\"customer_id\":" + key + ",\"export_id\":\"e-" + key + "\"}");
    }
    for (int i = 0; i < MALFORMED; i++) {
      events.add(i % 2 == 0 ? "{\"status\":\"done\",\"customer_id\":1" : "{\"status\":\"done\",\"customer_id\":1}");
    }
    Collections.shuffle(events, new Random(42));
    // The coordinator subscribes to the trigger's topic once it notices the apply (within 5 s);
    // events written before are read from the topic's start then.
    long start = System.nanoTime();
    TriggerEvents.send(groundcontrol, topic, events);

    AtomicInteger started = new AtomicInteger();
    AtomicInteger duplicates = new AtomicInteger();
    Set<String> missions = new HashSet<>();
    Poll.until(() -> {
      started.set(0);
      duplicates.set(0);
      missions.clear();
      try (MissionLog log = new MissionLog(groundcontrol.connection(), groundcontrol.topics())) {
        log.scan(key -> key.startsWith("t.rescore."), event -> {
          if (event.getEvent() instanceof MissionStarted) {
            started.incrementAndGet();
            missions.add(event.getMissionId());
          } else if (event.getEvent() instanceof StartDeduplicated) {
            duplicates.incrementAndGet();
          }
        }, problem -> {
          throw new AssertionError(problem);
        });
      }
      return started.get() + duplicates.get() >= valid;
    }, Duration.ofSeconds(240), "every valid event answered");
    double seconds = (System.nanoTime() - start) / 1e9;
    List<String> reasons = new ArrayList<>();
    Poll.until(() -> {
      reasons.clear();
      reasons.addAll(deadLetterReasons(topic));
      return reasons.size() >= MALFORMED;
    }, Duration.ofSeconds(60), "malformed events dead-lettered");

    System.out.printf("%d trigger events (%d distinct keys, %d repeats, %d malformed) answered in %.1f s "
        + "(shared, loaded machine), including the coordinator's restart to subscribe%n",
        EVENTS, distinct, valid - distinct, MALFORMED, seconds);
    assertThat(started.get()).isEqualTo(distinct);
    assertThat(missions).hasSize(distinct);
    assertThat(duplicates.get()).isEqualTo(valid - distinct);
    assertThat(reasons).hasSize(MALFORMED);
    assertThat(reasons).filteredOn(r -> r.startsWith("Expected a JSON object, but the value is not JSON")).hasSize(MALFORMED / 2);
    assertThat(reasons).filteredOn(r -> r.equals("trigger 'rescore': Expected field 'export_id' in the event, but it is missing or null"))
        .hasSize(MALFORMED - MALFORMED / 2);
  }

  private List<String> deadLetterReasons(String topic) {
    List<String> reasons = new ArrayList<>();
    try (org.apache.kafka.clients.consumer.KafkaConsumer<byte[], byte[]> consumer =
        new org.apache.kafka.clients.consumer.KafkaConsumer<>(Map.of(
            org.apache.kafka.clients.consumer.ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, groundcontrol.bootstrapServers(),
            org.apache.kafka.clients.consumer.ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
            new org.apache.kafka.common.serialization.ByteArrayDeserializer(),
            new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
      List<org.apache.kafka.common.TopicPartition> partitions = consumer.partitionsFor(groundcontrol.topics().deadLetters())
          .stream().map(p -> new org.apache.kafka.common.TopicPartition(p.topic(), p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<org.apache.kafka.common.TopicPartition, Long> end = consumer.endOffsets(partitions);
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        consumer.poll(Duration.ofMillis(200)).forEach(record -> {
          Header from = record.headers().lastHeader(TriggerProcessor.HEADER_TOPIC);
          if (from != null && new String(from.value()).equals(topic)) {
            reasons.add(new String(record.headers().lastHeader(TriggerProcessor.HEADER_MESSAGE).value()));
          }
        });
      }
    }
    return reasons;
  }

}
