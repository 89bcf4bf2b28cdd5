package io.groundcontrol.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.audit.CliRun;
import io.groundcontrol.client.KafkaConnection;
import io.groundcontrol.schema.wire.ReleasedSchemaSets;
import io.groundcontrol.schema.wire.SchemaSet;
import io.groundcontrol.schema.wire.WrittenSchemas;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** A coordinator instance that cannot start says why in one line and exits 1, without a stack trace. */
class CoordinatorStartErrorsTest {
  @TempDir Path stateDir;

  @Test
  void anApiPortInUseIsOneLineNamingTheAddressAndTheOption() throws IOException {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int port = taken.getLocalPort();

      CliRun run = CliRun.of("coordinator", "--bootstrap-servers", "127.0.0.1:1",
          "--state-dir", stateDir.toString(), "--api-bind", "127.0.0.1", "--api-port", Integer.toString(port),
          "--advertised-host", "127.0.0.1");

      String text = run.err();
      assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
      assertThat(text.lines().filter(line -> line.startsWith("error: "))).singleElement().asString()
          .startsWith("error: Could not listen on 127.0.0.1:" + port + " for this instance's HTTP API: the port is "
              + "in use").contains("another --api-port").contains("--state-dir");
      assertThat(text).doesNotContain("\tat ").doesNotContain("Exception");
    }
  }

  @Test
  void anOutputsLimitNoRecordCouldHoldIsRefusedInOneLineBeforeConnecting() {
    CliRun run = CliRun.of("coordinator", "--bootstrap-servers", "127.0.0.1:1", "--max-output-bytes", "900000",
        "--state-dir", stateDir.toString(), "--api-bind", "127.0.0.1", "--api-port", "0", "--advertised-host", "127.0.0.1");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
    assertThat(run.err().lines().filter(line -> !line.isBlank()).findFirst()).hasValue("Expected --max-output-bytes of 1 "
        + "to 786432 (a stage's outputs, with its finished event around them, must fit in one Kafka record of 1 MB), "
        + "but got 900000");
    assertThat(run.err()).doesNotContain("\tat ");
  }

  @Test
  void aSchemaSetThisBuildDoesNotKnowIsRefusedInOneLineBeforeConnecting() {
    CliRun run = CliRun.of("coordinator", "--bootstrap-servers", "127.0.0.1:1", "--write-schemas", "0badcafe",
        "--state-dir", stateDir.toString(), "--api-bind", "127.0.0.1", "--api-port", "0", "--advertised-host", "127.0.0.1");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
    assertThat(run.err().lines().filter(line -> !line.isBlank())).singleElement().isEqualTo("error: --write-schemas "
        + "0badcafe: This build does not know the record schemas 0badcafe: it can write those of "
        + ReleasedSchemaSets.ids() + " (its own, " + SchemaSet.current().id() + ", last); builds from before 2026-12-07 "
        + "name none, and an upgrade from one stops every instance first (README, \"Upgrading\")");
    assertThat(WrittenSchemas.written()).isEqualTo(SchemaSet.current());
  }

  @Test
  void aSchemaSetIdThatIsNoneIsAUsageError() {
    CliRun run = CliRun.of("coordinator", "--bootstrap-servers", "127.0.0.1:1", "--write-schemas", "v3",
        "--state-dir", stateDir.toString());

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
    assertThat(run.err().lines().findFirst()).hasValue("Invalid value for option '--write-schemas': Expected a schema "
        + "set id of 8 hex digits, but got 'v3', as groundcontrol --version prints after 'record schemas'");
  }

  @Test
  void aStoreKafkaCannotLoadIsOneLineNamingTheFileAndKey() throws IOException {
    Path truststore = Files.writeString(stateDir.resolve("truststore.p12"), "not a PKCS12 store");
    Path config = Files.writeString(stateDir.resolve("client.properties"),
        "security.protocol=SSL\nssl.truststore.location=" + truststore + "\nssl.truststore.password=s3cret-pw\n");

    CliRun run = CliRun.of("coordinator", "--bootstrap-servers", "127.0.0.1:1",
        "--kafka-config", config.toString(), "--state-dir", stateDir.resolve("state").toString(),
        "--api-bind", "127.0.0.1", "--api-port", "0", "--advertised-host", "127.0.0.1");

    String text = run.err();
    assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
    assertThat(text.lines().filter(line -> line.startsWith("error: "))).singleElement().asString()
        .startsWith("error: Could not make a Kafka client from the settings in " + config
            + " ('ssl.truststore.location'): ");
    assertThat(text).doesNotContain("\tat ").doesNotContain("s3cret-pw");
  }

  /**
   * Before, the start waited 30 s for its topic setup's first call, then 30 s more closing its admin
   * client, and said only 'No answer from Kafka ... in time' (68 s measured from the shell).
   */
  @Test
  void aClusterThatDoesNotAnswerIsOneLineNamingItsServersAfterTheFirstAnswersWait() {
    CoordinatorCommand coordinator = new CoordinatorCommand();
    coordinator.firstAnswer = Duration.ofSeconds(1);
    StringWriter err = new StringWriter();
    CommandLine command = new CommandLine(coordinator).setExecutionExceptionHandler(new KafkaRefusals())
        .setErr(new PrintWriter(err, true));
    long begin = System.nanoTime();

    int exitCode = command.execute("--bootstrap-servers", "127.0.0.1:1", "--state-dir", stateDir.toString(),
        "--api-bind", "127.0.0.1", "--api-port", "0", "--advertised-host", "127.0.0.1");

    // Well over the wait, well under the 30 s of Kafka's own timeouts: a loaded machine starts the API slowly.
    assertThat(Duration.ofNanos(System.nanoTime() - begin)).isLessThan(Duration.ofSeconds(20));
    assertThat(exitCode).isEqualTo(1);
    assertThat(err.toString().strip()).isEqualTo("error: Could not read the cluster's brokers to start this "
        + "coordinator instance: Kafka did not answer within 1 s. No answer from Kafka at 127.0.0.1:1 for "
        + "User:ANONYMOUS over PLAINTEXT in time: check the address, and that the listener expects PLAINTEXT (a "
        + "secured listener needs its settings in --kafka-config, README \"Security\")");
  }

  @Test
  void aCoordinatorNotRunningInTimeIsOneLineWithWhatToDo() {
    IllegalStateException notRunning = new IllegalStateException(
        "Coordinator did not reach RUNNING within PT2M (state REBALANCING) against kafka:9092");

    assertThat(KafkaRefusals.explain(InstanceStartException.starting(notRunning),
        KafkaConnection.plaintext("kafka:9092")))
        .hasValue("Could not start this coordinator instance: Coordinator did not reach RUNNING within PT2M (state "
            + "REBALANCING) against kafka:9092; the log above says more; start it again once that is fixed");
  }
}
