package io.groundcontrol.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.mission.EventAppliers;
import io.groundcontrol.mission.Mission;
import io.groundcontrol.mission.TestPlan;
import io.groundcontrol.schema.MissionEvent;
import io.groundcontrol.schema.MissionStatus;
import io.groundcontrol.schema.StageFailed;
import io.groundcontrol.schema.StageStatus;
import io.groundcontrol.testing.GroundcontrolFixture;
import io.groundcontrol.testing.KafkaBrokerExtension;
import io.groundcontrol.testing.Poll;
import io.groundcontrol.testing.TestDirs;
import io.groundcontrol.worker.api.StageResult;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The coordinator and workers on a real broker, each on its own Kafka clients.
 *
 * <p>The tests share one installation and its coordinator, but the one that starts two instances
 * of its own: each has its own plan, components and mission ids, so that no test's workers take
 * another's stages, and none needs a fresh coordinator (starting one took about 3 s a test).
 */
class CoordinatorIT {
  @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

  private static GroundcontrolFixture groundcontrol;
  private GroundcontrolFixture ownInstallation;

  @BeforeAll
  static void startCoordinator() {
    groundcontrol = new GroundcontrolFixture(KAFKA, "shared").startCoordinator();
  }

  @AfterAll
  static void stopCoordinator() {
    if (groundcontrol != null) {
      groundcontrol.close();
    }
  }

  @AfterEach
  void tearDown() {
    groundcontrol.closeWorkers();
    if (ownInstallation != null) {
      ownInstallation.close();
    }
  }

  @Test
  void aSecondInstanceWithTheSameInstanceIdStopsTheFirstInsteadOfBeingFencedBackForEver() {
    ownInstallation = new GroundcontrolFixture(KAFKA, "dupid");
    CoordinatorConfig config = ownInstallation.coordinatorConfig().withOverride(StaticMembership.INSTANCE_ID_CONFIG, "dup");
    TopicSetup setup = new TopicSetup(2, (short) 1);
    try (Coordinator first = Coordinator.start(config.withStateDir(TestDirs.create("gc-dup-a-")), setup,
            Duration.ofSeconds(60));
        Coordinator second = Coordinator.start(config.withStateDir(TestDirs.create("gc-dup-b-")), setup,
            Duration.ofSeconds(60))) {
      Poll.until(() -> first.stopped().isPresent(), Duration.ofSeconds(60), "the first instance, fenced, to stop");

      assertThat(first.stopped()).hasValueSatisfying(reason -> assertThat(reason)
          .contains("another coordinator instance joined with this one's instance id dup"));
      assertThat(second.stopped()).isEmpty();
      assertThat(second.streams().state()).isEqualTo(KafkaStreams.State.RUNNING);
    }
  }

  @Test
  void fiftyConcurrentMissionsRunEveryStageOnceInDependencyOrder() {
    groundcontrol.apply(TestPlan.diamond("e2e", "e2e-warehouse", "e2e-ml").build());
    Map<String, List<String>> ran = new ConcurrentHashMap<>();
    for (String component : List.of("e2e-warehouse", "e2e-ml")) {
      groundcontrol.worker(component, 4, context -> {
        ran.computeIfAbsent(context.missionId(), k -> java.util.Collections.synchronizedList(new ArrayList<>()))
            .add(context.stage());
        return StageResult.finished().output("rows", "42");
      });
    }
    List<String> missions = IntStream.range(0, 50).mapToObj(i -> "e2e-" + i).toList();
    long begin = System.nanoTime();

    missions.forEach(id -> groundcontrol.start(id, "e2e"));
    Map<String, List<MissionEvent>> log = groundcontrol.awaitEnd(missions, Duration.ofSeconds(60));

    System.out.printf("50 diamond missions (250 stages) finished in %d ms%n", (System.nanoTime() - begin) / 1_000_000);
    for (String id : missions) {
      Mission rebuilt = new EventAppliers().replay(log.get(id));
      assertThat(rebuilt.status()).as(id).isEqualTo(MissionStatus.FINISHED);
      assertThat(log.get(id)).extracting(MissionEvent::getSequence)
          .as("gapless sequence of " + id)
          .containsExactlyElementsOf(LongStream.rangeClosed(1, log.get(id).size()).boxed().toList());
      List<String> order = ran.get(id);
      assertThat(order).as(id).containsExactlyInAnyOrder("extract", "clean", "features", "train", "publish");
      assertThat(order.indexOf("extract")).isLessThan(order.indexOf("clean")).isLessThan(order.indexOf("train"));
      assertThat(order.indexOf("features")).isLessThan(order.indexOf("train"));
      assertThat(order.indexOf("train")).isLessThan(order.indexOf("publish"));
    }
  }

  @Test
  void aThrowingHandlerFailsItsStageWithTheStackTraceAndBlocksOnlyDownstream() {
    groundcontrol.apply(TestPlan.diamond("fail", "fail-warehouse", "fail-ml").build());
    groundcontrol.worker("fail-warehouse", 2, context -> StageResult.finished());
    groundcontrol.worker("fail-ml", 2, context -> {
      if (context.stage().equals("features")) {
        throw new IllegalStateException("feature store unreachable");
      }
      return StageResult.finished();
    });

    groundcontrol.start("m-fail", "fail");
    List<MissionEvent> log = groundcontrol.awaitEnd(List.of("m-fail"), Duration.ofSeconds(30)).get("m-fail");

    Mission mission = new EventAppliers().replay(log);
    assertThat(mission.status()).isEqualTo(MissionStatus.FAILED);
    assertThat(mission.stage("clean").orElseThrow().status()).isEqualTo(StageStatus.FINISHED);
    assertThat(mission.stage("train").orElseThrow().status()).isEqualTo(StageStatus.WAITING);
    StageFailed failed = log.stream().map(MissionEvent::getEvent).filter(StageFailed.class::isInstance)
        .map(StageFailed.class::cast).findFirst().orElseThrow();
    assertThat(failed.getError().getMessage()).isEqualTo("feature store unreachable");
    assertThat(failed.getError().getDetail()).contains("java.lang.IllegalStateException: feature store unreachable")
        .contains("at io.groundcontrol");
    assertThat(mission.reason()).hasValue(
        "stage 'features' failed on attempt 1: feature store unreachable (not run: train, publish)");
  }

  @Test
  void aPoisonRecordIsDeadLetteredWithItsOriginWhileOtherMissionsFinish() throws Exception {
    groundcontrol.apply(TestPlan.diamond("poison", "poison-warehouse", "poison-ml").build());
    AtomicInteger handled = new AtomicInteger();
    for (String component : List.of("poison-warehouse", "poison-ml")) {
      groundcontrol.worker(component, 4, context -> {
        handled.incrementAndGet();
        return StageResult.finished();
      });
    }
    long poisonOffset = sendRaw(groundcontrol.topics().stageReports(), "m-x", "{\"not\":\"avro\"}");
    List<String> missions = IntStream.range(0, 100).mapToObj(i -> "poison-" + i).toList();

    missions.forEach(id -> groundcontrol.start(id, "poison"));
    Map<String, List<MissionEvent>> log = groundcontrol.awaitEnd(missions, Duration.ofSeconds(60));

    assertThat(missions).allSatisfy(id ->
        assertThat(new EventAppliers().replay(log.get(id)).status()).isEqualTo(MissionStatus.FINISHED));
    ConsumerRecord<byte[], byte[]> dead = readOne(groundcontrol.topics().deadLetters());
    assertThat(new String(dead.value(), StandardCharsets.UTF_8)).isEqualTo("{\"not\":\"avro\"}");
    assertThat(header(dead, "__streams.errors.topic")).isEqualTo(groundcontrol.topics().stageReports());
    // Not 0: the coordinator's restart barriers may come first in the partition.
    assertThat(header(dead, "__streams.errors.offset")).isEqualTo(Long.toString(poisonOffset));
    assertThat(header(dead, "__streams.errors.message")).contains("Expected a single-object encoded StageReport");
  }

  /**
   * Kafka Streams' global thread, which reads plans, components and triggers, cannot send dead
   * letters: the first undecodable record there stopped it, and the instance with it (KAFKA-19939).
   * Such a record is skipped with one log line, and a plan applied after it is used.
   */
  @Test
  void anUndecodablePlanRecordIsSkippedAndAPlanAppliedAfterItRunsMissions() throws Exception {
    sendRaw(groundcontrol.topics().plans(), "badplan", "{\"not\":\"avro\"}");
    groundcontrol.apply(TestPlan.diamond("badplan", "badplan-warehouse", "badplan-ml").build());
    for (String component : List.of("badplan-warehouse", "badplan-ml")) {
      groundcontrol.worker(component, 2, context -> StageResult.finished());
    }

    groundcontrol.start("m-1", "badplan");
    List<MissionEvent> log = groundcontrol.awaitEnd(List.of("m-1"), Duration.ofSeconds(30)).get("m-1");

    assertThat(new EventAppliers().replay(log).status()).isEqualTo(MissionStatus.FINISHED);
    assertThat(groundcontrol.coordinator().stopped()).isEmpty();
    assertThat(groundcontrol.coordinator().streams().state()).isEqualTo(KafkaStreams.State.RUNNING);
  }

  @Test
  void cancellingAMissionInterruptsItsRunningHandler() throws Exception {
    groundcontrol.apply(TestPlan.named("long").stage("crunch", "cancel-ml").build());
    java.util.concurrent.CountDownLatch running = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CompletableFuture<Boolean> interrupted = new java.util.concurrent.CompletableFuture<>();
    groundcontrol.worker("cancel-ml", 1, context -> {
      running.countDown();
      try {
        new java.util.concurrent.CountDownLatch(1).await();
      } catch (InterruptedException e) {
        interrupted.complete(context.isCancelled());
        throw e;
      }
      return StageResult.finished();
    });
    groundcontrol.start("m-c", "long");
    assertThat(running.await(30, java.util.concurrent.TimeUnit.SECONDS)).as("handler started").isTrue();

    groundcontrol.commands().cancel("m-c", "wrong day");

    assertThat(interrupted.get(30, java.util.concurrent.TimeUnit.SECONDS)).as("context marked cancelled").isTrue();
    List<MissionEvent> log = groundcontrol.awaitEnd(List.of("m-c"), Duration.ofSeconds(30)).get("m-c");
    assertThat(new EventAppliers().replay(log).status()).isEqualTo(MissionStatus.CANCELLED);
  }

  private ConsumerRecord<byte[], byte[]> readOne(String topic) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, groundcontrol.bootstrapServers());
    props.put(ConsumerConfig.GROUP_ID_CONFIG, topic + "-reader");
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          return record;
        }
      }
    }
    throw new AssertionError("No record on " + topic + " within 30 s");
  }

  /** Writes {@code value} as it is, as a producer in any language could; returns its offset. */
  private long sendRaw(String topic, String key, String value) throws Exception {
    Properties producerProps = new Properties();
    producerProps.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, groundcontrol.bootstrapServers());
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(producerProps, new StringSerializer(), new ByteArraySerializer())) {
      return producer.send(new ProducerRecord<>(topic, key, value.getBytes(StandardCharsets.UTF_8))).get().offset();
    }
  }

  private static String header(ConsumerRecord<byte[], byte[]> record, String key) {
    var header = record.headers().lastHeader(key);
    assertThat(header).as("header " + key).isNotNull();
    return new String(header.value(), StandardCharsets.UTF_8);
  }
}
