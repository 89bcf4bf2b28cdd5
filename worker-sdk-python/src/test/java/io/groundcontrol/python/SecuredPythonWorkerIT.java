package io.groundcontrol.python;

import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.audit.CliRun;
import io.groundcontrol.coordinator.Coordinator;
import io.groundcontrol.coordinator.CoordinatorConfig;
import io.groundcontrol.coordinator.TopicSetup;
import io.groundcontrol.testing.SecuredKafka;
import io.groundcontrol.worker.api.StageResult;
import io.groundcontrol.worker.api.Worker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A Python worker on a secured cluster (SASL_SSL, the standard authorizer): it
 * serves the demo plan's 'ml' stages under a principal of its own holding only the worker role's ACLs,
 * with the librdkafka settings README "Security" gives, next to a Java worker, the coordinator and the
 * CLI, each under its own principal.
 */
class SecuredPythonWorkerIT {
  @Test
  void aPythonWorkerServesTheDemoPlanUnderItsOwnPrincipal() throws Exception {
    // Debian's librdkafka (before 2.6.1) fails SCRAM against Kafka 4 (confluentinc/librdkafka#4895),
    // so the Python worker logs in with SASL PLAIN, over the same TLS listener and under the same ACLs.
    try (SecuredKafka kafka = SecuredKafka.start(java.util.Map.of("python-worker", "p-secret"))) {
      kafka.createUsers(java.util.Map.of("coordinator", "c-secret", "java-worker", "j-secret", "operator", "o-secret"));
      kafka.grant("coordinator", "--role", "coordinator");
      kafka.grant("java-worker", "--role", "worker", "--component", "warehouse");
      kafka.grant("python-worker", "--role", "worker", "--component", "ml");
      kafka.grant("operator", "--role", "operator");
      Path operator = kafka.propertiesFile("operator", kafka.user("operator", "o-secret"));
      Path librdkafka = Files.createTempFile("python-worker-", ".properties");
      Files.write(librdkafka, List.of(
          "bootstrap.servers=" + kafka.bootstrapServers(),
          "security.protocol=SASL_SSL",
          "sasl.mechanisms=PLAIN",
          "sasl.username=python-worker",
          "sasl.password=p-secret",
          "ssl.ca.location=" + kafka.certificatePem().toAbsolutePath()));

      try (Coordinator coordinator = Coordinator.start(
              CoordinatorConfig.defaults(kafka.bootstrapServers(), Files.createTempDirectory("gc-secured-py-"))
                  .withConnection(kafka.user("coordinator", "c-secret")),
              new TopicSetup(2, (short) 1), Duration.ofMinutes(2))) {
        CliRun apply = CliRun.of("plan", "apply", Path.of("..", "examples", "diamond.yaml").toString(),
            "--kafka-config", operator.toString());
        assertThat(apply.exitCode()).as(apply.toString()).isZero();
        Path log = Files.createTempFile("secured-python-worker-", ".log");
        Process python = new ProcessBuilder(System.getProperty("groundcontrol.python", "python3"),
            Path.of("src", "test", "resources", "secured_ml_worker.py").toAbsolutePath().toString(),
            librdkafka.toString()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try (Worker warehouse = Worker.builder()
            .component("warehouse")
            .kafkaProperties(kafka.user("java-worker", "j-secret").clientConfig())
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
    }
  }
}
