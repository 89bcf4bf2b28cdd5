package io.groundcontrol.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.groundcontrol.audit.CliRun;
import io.groundcontrol.coordinator.Coordinator;
import io.groundcontrol.coordinator.CoordinatorConfig;
import io.groundcontrol.coordinator.TopicSetup;
import io.groundcontrol.mission.TestPlan;
import io.groundcontrol.testing.GroundcontrolFixture;
import io.groundcontrol.testing.KafkaBrokerExtension;
import io.groundcontrol.testing.Poll;
import io.groundcontrol.testing.TestDirs;
import io.groundcontrol.worker.api.StageResult;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two installations on one cluster, told apart by their topic prefix, never share a Kafka Streams
 * group: in one, both said RUNNING and neither's missions advanced. `coordinator` takes
 * {@code <topic prefix>-coordinator} by default, and refuses in one line an id whose group holds
 * another installation, or a default id when this installation's state is under the former default.
 */
class ApplicationIdIT {
  @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

  private static final Duration START = Duration.ofSeconds(60);

  private GroundcontrolFixture first;
  private GroundcontrolFixture second;

  @AfterEach
  void tearDown() {
    for (GroundcontrolFixture installation : new GroundcontrolFixture[] {first, second}) {
      if (installation != null) {
        installation.close();
      }
    }
  }

  @Test
  void aSecondInstallationIsRefusedTheApplicationIdTheFirstRunsUnder() {
    first = new GroundcontrolFixture(KAFKA, "teama").apply(TestPlan.diamond().build());
    second = new GroundcontrolFixture(KAFKA, "teamb");
    String taken = CoordinatorConfig.defaultApplicationId(second.topics());
    Coordinator running = Coordinator.start(first.coordinatorConfig().withTopics(first.topics(), taken),
        new TopicSetup(2, (short) 1), START);
    try {
      runOneMission(first, "before");

      CliRun refused = coordinatorWithoutApplicationId(second);

      assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(1);
      assertThat(errors(refused)).containsExactly("error: Application id " + taken + " is taken by the installation "
          + "with --topic-prefix " + first.topics().prefix() + " (its group consumes "
          + first.topics().missionCommands() + "): two installations under one application id stall each other and "
          + "share their stores; give this one another --application-id");
      first.start("after", "diamond");
      first.awaitEnd(List.of("after"), Duration.ofSeconds(30));
    } finally {
      running.close();
    }
  }

  @Test
  void anInstallationThatRanUnderTheFormerDefaultIdIsToldToKeepIt() {
    first = new GroundcontrolFixture(KAFKA, "legacy").apply(TestPlan.diamond().build());
    Coordinator former = Coordinator.start(
        first.coordinatorConfig().withTopics(first.topics(), ApplicationIdCheck.FORMER_DEFAULT),
        new TopicSetup(2, (short) 1), START);
    try {
      runOneMission(first, "before");
    } finally {
      former.close();
    }
    try {
      CliRun refused = coordinatorWithoutApplicationId(first);

      assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(1);
      assertThat(errors(refused)).containsExactly("error: This installation (--topic-prefix " + first.topics().prefix()
          + ") ran under application id groundcontrol-coordinator, the default before 2026-12-06, and its missions, "
          + "queues and schedules are stored under that id; the default is now " + first.topics().prefix()
          + "-coordinator: pass --application-id groundcontrol-coordinator to keep them");
    } finally {
      forgetFormerDefault();
    }
  }

  private static void runOneMission(GroundcontrolFixture installation, String id) {
    installation.worker("warehouse", 2, context -> StageResult.finished());
    installation.worker("ml", 2, context -> StageResult.finished());
    installation.start(id, "diamond");
    installation.awaitEnd(List.of(id), Duration.ofSeconds(60));
  }

  /** Without the check this coordinator would start and run until stopped: the timeout is the failure. */
  private static CliRun coordinatorWithoutApplicationId(GroundcontrolFixture installation) {
    return assertTimeoutPreemptively(Duration.ofSeconds(90), () -> CliRun.of("coordinator",
        "--bootstrap-servers", KAFKA.bootstrapServers(), "--topic-prefix", installation.topics().prefix(),
        "--state-dir", TestDirs.create("gc-appid-").toString(), "--partitions", "2",
        "--api-bind", "127.0.0.1", "--api-port", "0", "--advertised-host", "127.0.0.1"));
  }

  private static List<String> errors(CliRun run) {
    return run.err().lines().filter(line -> line.startsWith("error: ")).toList();
  }

  /**
   * The broker is shared with other tests: the former default's group and stores go. Best effort, so
   * that a failure above is the one reported.
   */
  private static void forgetFormerDefault() {
    Admin admin = KAFKA.admin();
    try {
      Poll.until(() -> {
        try {
          admin.deleteConsumerGroups(List.of(ApplicationIdCheck.FORMER_DEFAULT)).all().get();
          return true;
        } catch (ExecutionException | InterruptedException e) {
          return false;
        }
      }, Duration.ofSeconds(30), "the group " + ApplicationIdCheck.FORMER_DEFAULT + " deleted");
      Set<String> topics = admin.listTopics().names().get();
      admin.deleteTopics(topics.stream().filter(t -> t.startsWith(ApplicationIdCheck.FORMER_DEFAULT + "-")).toList())
          .all().get();
    } catch (AssertionError | ExecutionException e) {
      System.err.println("Left group and topics of " + ApplicationIdCheck.FORMER_DEFAULT + " behind: " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
