package io.groundcontrol.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.mission.TestPlan;
import io.groundcontrol.schema.Actor;
import io.groundcontrol.schema.ActorKind;
import io.groundcontrol.schema.ReportFinished;
import io.groundcontrol.schema.StageReport;
import io.groundcontrol.schema.wire.AvroCodec;
import io.groundcontrol.testing.GroundcontrolFixture;
import io.groundcontrol.testing.KafkaBrokerExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What a worker's bad input and a failure's detail look like from the CLI, on a real broker. */
class FailureDetailIT {
  @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

  private GroundcontrolFixture groundcontrol;

  @AfterEach
  void tearDown() {
    if (groundcontrol != null) {
      groundcontrol.close();
    }
  }

  private CliRun cli(String... args) {
    String[] all = new String[args.length + 4];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--bootstrap-servers";
    all[args.length + 1] = groundcontrol.bootstrapServers();
    all[args.length + 2] = "--topic-prefix";
    all[args.length + 3] = groundcontrol.topics().prefix();
    return CliRun.of(all);
  }

  @Test
  void aFailuresStackTraceShowsWithDetailAndAWrongFingerprintIsListedAsADeadLetter() throws Exception {
    groundcontrol = new GroundcontrolFixture(KAFKA, "detail").startCoordinator()
        .apply(TestPlan.named("one").stage("load", "sql").build());
    groundcontrol.worker("sql", 1, context -> {
      throw new IllegalStateException("warehouse unreachable");
    });
    groundcontrol.start("m-fail", "one");
    groundcontrol.awaitEnd(List.of("m-fail"), Duration.ofSeconds(90));

    CliRun show = cli("mission", "show", "m-fail", "--detail");
    assertThat(show.exitCode()).as(show.toString()).isZero();
    assertThat(show.out()).contains("Stage 'load', attempt 1: warehouse unreachable",
        "  java.lang.IllegalStateException: warehouse unreachable", "\tat ");
    assertThat(cli("mission", "show", "m-fail").out()).doesNotContain("\tat ");
    CliRun timeline = cli("audit", "mission", "m-fail", "--detail");
    assertThat(timeline.out()).contains("(StageFailed, stage load, attempt 1)", "\tat ");

    byte[] wrongFingerprint = AvroCodec.of(StageReport.class).encode(new StageReport(
        "m-fail", "load", 1, new Actor(ActorKind.WORKER, "py", null), Instant.now(), new ReportFinished(Map.of())));
    java.util.Arrays.fill(wrongFingerprint, 2, 10, (byte) 0x11);
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
        Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, groundcontrol.bootstrapServers()),
        new StringSerializer(), new ByteArraySerializer())) {
      producer.send(new ProducerRecord<>(groundcontrol.topics().stageReports(), "m-fail", wrongFingerprint))
          .get(30, TimeUnit.SECONDS);
    }

    CliRun letters = awaitDeadLetter();
    assertThat(letters.out()).contains(groundcontrol.topics().stageReports() + "[",
        "m-fail  m-fail", "Cannot resolve schema for fingerprint 1111111111111111 (hex): expected 4f209a97c157e41d");
  }

  private CliRun awaitDeadLetter() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (true) {
      CliRun run = cli("dead-letters");
      if (run.exitCode() == 0 && run.out().contains("m-fail")) {
        return run;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("No dead letter listed within 90 s: " + run);
      }
      TimeUnit.MILLISECONDS.sleep(500);
    }
  }
}
