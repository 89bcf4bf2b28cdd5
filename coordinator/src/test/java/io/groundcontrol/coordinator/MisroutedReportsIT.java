package io.groundcontrol.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.mission.TestPlan;
import io.groundcontrol.schema.Actor;
import io.groundcontrol.schema.ActorKind;
import io.groundcontrol.schema.InstructionKind;
import io.groundcontrol.schema.MissionEvent;
import io.groundcontrol.schema.MissionFinished;
import io.groundcontrol.schema.ReportFinished;
import io.groundcontrol.schema.StageInstruction;
import io.groundcontrol.schema.StageReport;
import io.groundcontrol.schema.wire.AvroSerde;
import io.groundcontrol.testing.GroundcontrolFixture;
import io.groundcontrol.testing.KafkaBrokerExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A worker that speaks the topic contract itself and puts every report on the wrong partition, as
 * librdkafka's default partitioner does for about half the keys: no mission may hang. (The SDKs
 * refuse a partitioner of their own, so this worker is a plain consumer and producer.)
 */
class MisroutedReportsIT {
  @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

  private GroundcontrolFixture groundcontrol;
  private final AtomicBoolean stop = new AtomicBoolean();
  private final AtomicReference<Throwable> workerError = new AtomicReference<>();
  private Thread worker;

  @AfterEach
  void tearDown() throws InterruptedException {
    stop.set(true);
    if (worker != null) {
      worker.join(Duration.ofSeconds(30).toMillis());
    }
    if (groundcontrol != null) {
      groundcontrol.close();
    }
  }

  @Test
  void missionsWhoseReportsAllArriveOnTheWrongPartitionStillFinish() {
    groundcontrol = new GroundcontrolFixture(KAFKA, "misrouted").startCoordinator().apply(TestPlan.diamond().build());
    worker = new Thread(() -> finishEveryRunOnTheWrongPartition(List.of("warehouse", "ml")), "misrouting-worker");
    worker.start();
    List<String> missions = IntStream.range(0, 10).mapToObj(n -> "misrouted-" + n).toList();

    missions.forEach(id -> groundcontrol.start(id, "diamond"));

    Map<String, List<MissionEvent>> log = groundcontrol.awaitEnd(missions, Duration.ofSeconds(90));
    assertThat(workerError.get()).isNull();
    assertThat(log.values()).allSatisfy(events ->
        assertThat(events.get(events.size() - 1).getEvent()).isInstanceOf(MissionFinished.class));
  }

  private void finishEveryRunOnTheWrongPartition(List<String> components) {
    Map<String, Object> consumerSettings = Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, groundcontrol.bootstrapServers(),
        ConsumerConfig.GROUP_ID_CONFIG, "misrouting-worker",
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    Map<String, Object> producerSettings = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, groundcontrol.bootstrapServers());
    AvroSerde<StageInstruction> instructions = AvroSerde.of(StageInstruction.class);
    AvroSerde<StageReport> reports = AvroSerde.of(StageReport.class);
    String reportsTopic = groundcontrol.topics().stageReports();
    Actor self = new Actor(ActorKind.WORKER, "misrouting-worker", "test");
    try (KafkaConsumer<String, byte[]> consumer =
            new KafkaConsumer<>(consumerSettings, new StringDeserializer(), new ByteArrayDeserializer());
        KafkaProducer<String, byte[]> producer =
            new KafkaProducer<>(producerSettings, new StringSerializer(), new ByteArraySerializer())) {
      consumer.subscribe(components.stream().map(groundcontrol.topics()::instructions).toList());
      int partitions = producer.partitionsFor(reportsTopic).size();
      while (!stop.get()) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
          StageInstruction run = instructions.deserializer().deserialize(record.topic(), record.value());
          if (run.getKind() != InstructionKind.RUN) {
            continue;
          }
          StageReport finished = new StageReport(run.getMissionId(), run.getStage(), run.getAttempt(), self,
              Instant.now(), new ReportFinished(Map.of()));
          int wrong = (InputRouting.expectedPartition(run.getMissionId(), partitions) + 1) % partitions;
          producer.send(new ProducerRecord<>(reportsTopic, wrong, run.getMissionId(),
              reports.serializer().serialize(reportsTopic, finished)));
        }
        producer.flush();
        consumer.commitSync();
      }
    } catch (RuntimeException e) {
      workerError.set(e);
    }
  }
}
