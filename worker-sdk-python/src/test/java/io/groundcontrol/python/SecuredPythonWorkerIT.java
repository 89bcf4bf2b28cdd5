package io.groundcontrol.python;

import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.audit.CliRun;
import io.groundcontrol.client.KafkaConnection;
import io.groundcontrol.coordinator.Coordinator;
import io.groundcontrol.coordinator.CoordinatorConfig;
import io.groundcontrol.coordinator.TopicSetup;
import io.groundcontrol.testing.GroundcontrolFixture;
import io.groundcontrol.testing.SecuredKafka;
import io.groundcontrol.worker.api.StageResult;
import io.groundcontrol.worker.api.Worker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Python workers on a secured cluster (SASL_SSL, the standard authorizer), under a principal of their
 * own holding only the worker role's ACLs, with the librdkafka settings README "Security" gives, next to
 * a Java worker, the coordinator and the CLI, each under its own principal: one serves the demo plan's
 * 'ml' stages, and two hand a moved attempt over and read its cancel.
 */
class SecuredPythonWorkerIT {
  /** The component of the moved attempts' test, which no worker of the demo plan serves. */
  private static final String MOVING = "moving";
  private static final Map<String, String> USERS = Map.of(
      "coordinator", "c-secret", "java-worker", "j-secret", "operator", "o-secret");

  private static SecuredKafka kafka;
  private static Coordinator coordinator;
  private static Path operator;
  /** The Python workers' librdkafka settings. */
  private static Path librdkafka;

  @BeforeAll
  static void startSecuredInstallation() throws Exception {
    // Debian's librdkafka (before 2.6.1) fails SCRAM against Kafka 4 (confluentinc/librdkafka#4895),
    // so the Python workers log in with SASL PLAIN, over the same TLS listener and under the same ACLs.
    kafka = SecuredKafka.start(Map.of("python-worker", "p-secret"));
    kafka.createUsers(USERS);
    kafka.grant("coordinator", "--role", "coordinator");
    kafka.grantWorker("java-worker", "warehouse");
    kafka.grantWorker("python-worker", "ml", MOVING);
    kafka.grant("operator", "--role", "operator");
    operator = kafka.propertiesFile("operator", user("operator"));
    librdkafka = Files.createTempFile("python-worker-", ".properties");
    Files.write(librdkafka, List.of(
        "bootstrap.servers=" + kafka.bootstrapServers(),
        "security.protocol=SASL_SSL",
        "sasl.mechanisms=PLAIN",
        "sasl.username=python-worker",
        "sasl.password=p-secret",
        "ssl.ca.location=" + kafka.certificatePem().toAbsolutePath()));
    coordinator = Coordinator.start(
        CoordinatorConfig.defaults(kafka.bootstrapServers(), Files.createTempDirectory("gc-secured-py-"))
            .withConnection(user("coordinator")),
        new TopicSetup(2, (short) 1), Duration.ofMinutes(2));
  }

  private static KafkaConnection user(String name) {
    return kafka.user(name, USERS.get(name));
  }

  @AfterAll
  static void stop() {
    if (coordinator != null) {
      coordinator.close();
    }
    if (kafka != null) {
      kafka.close();
    }
  }

  @Test
  void aPythonWorkerServesTheDemoPlanUnderItsOwnPrincipal() throws Exception {
    CliRun apply = CliRun.of("plan", "apply", Path.of("..", "examples", "diamond.yaml").toString(),
        "--kafka-config", operator.toString());
    assertThat(apply.exitCode()).as(apply.toString()).isZero();
    Path log = Files.createTempFile("secured-python-worker-", ".log");
    Process python = new ProcessBuilder(System.getProperty("groundcontrol.python", "python3"),
        Path.of("src", "test", "resources", "secured_ml_worker.py").toAbsolutePath().toString(),
        librdkafka.toString()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try (Worker warehouse = Worker.builder()
        .component("warehouse")
        .kafkaProperties(user("java-worker").clientConfig())
        .handler(context -> StageResult.finished())
        .open()) {
      CliRun start = CliRun.of("mission", "start", "customer-scoring", "--id", "m-secured-python", "--wait",
          "--timeout", "PT3M", "--kafka-config", operator.toString());
      assertThat(start.exitCode()).as(start + "\n--- python worker:\n" + Files.readString(log)).isZero();
      CliRun show = CliRun.of("mission", "show", "m-secured-python", "--json", "--kafka-config", operator.toString());
      assertThat(show.out()).contains("\"status\" : \"FINISHED\"")
          .as("train ran in the Python worker").contains("\"by\" : \"\\\"python\\\"\"");
    } finally {
      python.destroy();
      python.waitFor(30, TimeUnit.SECONDS);
      python.destroyForcibly();
    }
  }

  @Test
  void aMovedAttemptIsHandedOverAndItsCancelReadUnderTheWorkerRolesAclsAlone(@TempDir Path marks) throws Exception {
    // Its Java workers, of which there are none here, would log in as the Java worker.
    GroundcontrolFixture.Logins logins = new GroundcontrolFixture.Logins(user("coordinator"), user("operator"),
        user("java-worker"));
    try (GroundcontrolFixture installation = GroundcontrolFixture.secured(logins);
        PythonMovedAttempts moved = new PythonMovedAttempts(installation, kafka.admin(), MOVING,
            "@" + librdkafka, marks)) {
      moved.check();
    }
  }
}
