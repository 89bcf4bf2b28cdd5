package io.groundcontrol.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.groundcontrol.audit.CliRun;
import io.groundcontrol.client.KafkaConnection;
import io.groundcontrol.coordinator.Coordinator;
import io.groundcontrol.coordinator.CoordinatorConfig;
import io.groundcontrol.coordinator.TopicSetup;
import io.groundcontrol.coordinator.CoordinatorStoppedException;
import io.groundcontrol.schema.wire.TopicNames;
import io.groundcontrol.testing.CliProcess;
import io.groundcontrol.testing.GroundcontrolFixture;
import io.groundcontrol.testing.MovedJavaAttempts;
import io.groundcontrol.testing.SecuredKafka;
import io.groundcontrol.testing.TestDirs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.resource.ResourceType;
import io.groundcontrol.worker.api.StageResult;
import io.groundcontrol.worker.api.Worker;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Groundcontrol on a secured cluster: SASL_SSL (SCRAM-SHA-512), the standard KRaft authorizer,
 * and for each role a principal of its own holding only the ACLs `groundcontrol acl print --apply`
 * gives it. The coordinator, a Java worker and the CLI run the demo plan; a principal without the
 * ACLs is refused with one line, and nothing else notices. A Java worker's moved attempt is handed over
 * and its cancel read by the cancel reader under the worker role's ACLs alone.
 */
class SecuredClusterIT {
  private static final String PLAN = Path.of("..", "examples", "diamond.yaml").toString();
  private static final Map<String, String> USERS = Map.of(
      "coordinator", "coordinator-secret", "worker", "worker-secret", "operator", "operator-secret",
      "viewer", "viewer-secret");

  /** The component of the moved attempts' test, which no worker of the demo plan serves. */
  private static final String MOVING = "moving";

  private static SecuredKafka kafka;
  private static Path stateDir;
  private static Coordinator coordinator;
  private static final List<Worker> workers = new ArrayList<>();
  private static Path operator;
  private static Path viewer;

  @BeforeAll
  static void startSecuredInstallation() throws IOException {
    kafka = SecuredKafka.start();
    kafka.createUsers(USERS);
    kafka.grant("coordinator", "--role", "coordinator");
    kafka.grantWorker("worker", "warehouse", "ml", MOVING);
    kafka.grant("operator", "--role", "operator");
    kafka.grant("viewer", "--role", "viewer");
    operator = kafka.propertiesFile("operator", user("operator"));
    viewer = kafka.propertiesFile("viewer", user("viewer"));

    stateDir = TestDirs.create("gc-secured-state-");
    coordinator = Coordinator.start(
        CoordinatorConfig.defaults(kafka.bootstrapServers(), stateDir).withConnection(user("coordinator")),
        new TopicSetup(2, (short) 1), Duration.ofMinutes(2));
    CliRun apply = CliRun.of("plan", "apply", PLAN, "--kafka-config", operator.toString());
    assertThat(apply.exitCode()).as(apply.toString()).isZero();
    for (String component : List.of("warehouse", "ml")) {
      workers.add(Worker.builder()
          .component(component)
          .kafkaProperties(user("worker").clientConfig())
          .handler(context -> StageResult.finished().output("by", "\"" + component + "\""))
          .parallelism(2)
          .heartbeatInterval(Duration.ofSeconds(1))
          .open());
    }
  }

  private static KafkaConnection user(String name) {
    return kafka.user(name, USERS.get(name));
  }

  @AfterAll
  static void stop() {
    workers.forEach(Worker::close);
    if (coordinator != null) {
      coordinator.close();
    }
    if (kafka != null) {
      kafka.close();
    }
  }

  @Test
  void theDemoPlanRunsWithEachRoleUnderItsOwnPrincipal() {
    CliRun start = CliRun.of("mission", "start", "customer-scoring", "--id", "m-secured", "--wait",
        "--timeout", "PT2M", "--kafka-config", operator.toString());
    assertThat(start.exitCode()).as(start.toString()).isZero();

    CliRun show = CliRun.of("mission", "show", "m-secured", "--kafka-config", viewer.toString());
    assertThat(show.exitCode()).as(show.toString()).isZero();
    assertThat(show.out()).contains("FINISHED");
  }

  @Test
  void aMovedAttemptIsHandedOverAndItsCancelReadUnderTheWorkerRolesAclsAlone() {
    GroundcontrolFixture.Logins logins = new GroundcontrolFixture.Logins(user("coordinator"), user("operator"),
        user("worker"));
    try (GroundcontrolFixture installation = GroundcontrolFixture.secured(logins);
        MovedJavaAttempts moved = new MovedJavaAttempts(installation, kafka.admin(), MOVING)) {
      moved.check(2);
    }
  }

  @Test
  void aViewerSeesEachComponentsLiveWorkersThroughItsRolesAcls() {
    CliRun list = CliRun.of("component", "list", "--kafka-config", viewer.toString());

    assertThat(list.exitCode()).as(list.toString()).isZero();
    // Its ACLs let it describe the components' consumer groups, so the workers are listed, not "-".
    assertThat(list.out().lines().filter(line -> line.startsWith("warehouse ")))
        .as(list.toString()).singleElement().asString().contains("@");
  }

  @Test
  void aViewerStartingAMissionIsRefusedWithOneLineAndNothingElseIsDisturbed() {
    CliRun refused = CliRun.of("mission", "start", "customer-scoring", "--id", "m-by-viewer",
        "--kafka-config", viewer.toString());

    assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(1);
    assertThat(errorLines(refused)).as(refused.toString()).containsExactly("error: Kafka at " + kafka.bootstrapServers()
        + " refused User:viewer access to topic groundcontrol.mission-commands; grant its role's ACLs "
        + "(see `groundcontrol acl print`)");
    assertThat(refused.err()).doesNotContain("\tat io.groundcontrol");

    CliRun after = CliRun.of("mission", "start", "customer-scoring", "--id", "m-after-refusal", "--wait",
        "--timeout", "PT2M", "--kafka-config", operator.toString());
    assertThat(after.exitCode()).as(after.toString()).isZero();
    assertThat(coordinator.streams().state()).isEqualTo(KafkaStreams.State.RUNNING);
    CliRun list = CliRun.of("mission", "list", "--kafka-config", viewer.toString());
    assertThat(list.out()).contains("m-after-refusal").doesNotContain("m-by-viewer");
  }

  @Test
  void aWrongPasswordIsOneLineNamingThePrincipalNotARetryLoop() {
    Path wrong = kafka.propertiesFile("wrong-password", kafka.user("operator", "not-the-password"));
    long begin = System.nanoTime();

    CliRun refused = CliRun.of("mission", "list", "--kafka-config", wrong.toString());

    assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(1);
    assertThat(errorLines(refused)).hasSize(1).first().asString()
        .startsWith("error: Kafka at " + kafka.bootstrapServers() + " refused to authenticate User:operator over SASL_SSL")
        .doesNotContain("not-the-password");
    assertThat(Duration.ofNanos(System.nanoTime() - begin)).isLessThan(Duration.ofSeconds(60));
  }

  @Test
  void aClientWithoutTheListenersSettingsGetsOneLineSayingWhatToCheck() {
    CliRun unsecured = CliRun.of("mission", "list", "--bootstrap-servers", kafka.bootstrapServers());

    assertThat(unsecured.exitCode()).as(unsecured.toString()).isEqualTo(1);
    assertThat(errorLines(unsecured)).containsExactly("error: Could not read topic groundcontrol.mission-events: Kafka "
        + "did not answer within 15 s. No answer from Kafka at " + kafka.bootstrapServers()
        + " for User:ANONYMOUS over PLAINTEXT in time: check the address, and that the listener expects PLAINTEXT "
        + "(a secured listener needs its settings in --kafka-config, README \"Security\")");
  }

  @Test
  void aCoordinatorWithoutItsAclsStopsAtOnceSayingWhatWasRefused() throws IOException {
    Path otherState = TestDirs.create("gc-secured-stranger-");

    CliRun refused = CliRun.of("coordinator", "--kafka-config", viewer.toString(), "--state-dir", otherState.toString(),
        "--application-id", "gc-stranger");

    assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(1);
    assertThat(errorLines(refused)).hasSize(1).first().asString()
        .startsWith("error: Kafka at " + kafka.bootstrapServers() + " refused User:viewer access to topic")
        .doesNotContain("viewer-secret");
  }

  @Test
  void aWorkerWithoutTheComponentsAclsStopsInsteadOfRetrying() {
    try (Worker stranger = Worker.builder()
        .component("ml")
        .kafkaProperties(user("viewer").clientConfig())
        .handler(context -> StageResult.finished())
        .open()) {
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (stranger.isOpen() && System.nanoTime() < deadline) {
        java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
      }
      assertThat(stranger.isOpen()).as("a refused worker stops").isFalse();
    }
    CliRun after = CliRun.of("mission", "start", "customer-scoring", "--id", "m-after-stranger", "--wait",
        "--timeout", "PT2M", "--kafka-config", operator.toString());
    assertThat(after.exitCode()).as(after.toString()).isZero();
  }

  @Test
  void theExampleWorkersExitWithTheRefusalInsteadOfIdling() {
    try (CliProcess workersWithoutAcls = CliProcess.start("workers", "--component", "ml",
        "--kafka-config", viewer.toString())) {
      assertThat(workersWithoutAcls.awaitExit(Duration.ofSeconds(90))).isEqualTo(1);
      assertThat(workersWithoutAcls.output())
          // A viewer may describe the topic (to list components), so its first refusal is the group's.
          .contains("Kafka refused it (GroupAuthorizationException: Not authorized to access group: ml)")
          .contains("error: a worker stopped")
          .doesNotContain("viewer-secret");
    }
  }

  @Test
  void aCoordinatorRefusedItsTransactionalIdsStopsInsteadOfReplacingItsThreads() throws IOException {
    TopicNames topics = new TopicNames("half");
    RoleAcls acls = new RoleAcls(topics, "half-coordinator");
    List<Grant> withoutTransactions = acls.grants(Role.COORDINATOR, null).stream()
        .filter(grant -> grant.resource().resourceType() != ResourceType.TRANSACTIONAL_ID)
        .toList();
    kafka.createUsers(Map.of("half", "half-secret"));
    try (Admin admin = kafka.superUser().admin()) {
      AclInstaller.apply(admin, withoutTransactions, "User:half");
    }
    CoordinatorConfig config = CoordinatorConfig.defaults(kafka.bootstrapServers(),
            TestDirs.create("gc-secured-half-"))
        .withTopics(topics, "half-coordinator")
        .withConnection(kafka.user("half", "half-secret"));

    assertThatThrownBy(() -> Coordinator.start(config, new TopicSetup(1, (short) 1), Duration.ofMinutes(2)))
        .isInstanceOf(CoordinatorStoppedException.class)
        .hasMessageStartingWith("Kafka at " + kafka.bootstrapServers() + " refused User:half a transactional id");
  }

  private static List<String> errorLines(CliRun run) {
    return run.err().lines().filter(line -> line.startsWith("error:")).toList();
  }
}
