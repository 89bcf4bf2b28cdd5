package io.groundcontrol.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.audit.CliRun;
import io.groundcontrol.coordinator.CoordinatorConfig;
import io.groundcontrol.schema.wire.TopicNames;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Each installation runs under its own application id: by default {@code <topic prefix>-coordinator},
 * and never one whose group already consumes another installation's topics.
 */
class ApplicationIdCheckTest {
  private static final TopicNames TEAM_B = new TopicNames("teamb");

  @Test
  void theDefaultApplicationIdFollowsTheTopicPrefix() {
    assertThat(CoordinatorConfig.defaultApplicationId(TEAM_B)).isEqualTo("teamb-coordinator");
    assertThat(CoordinatorConfig.defaultApplicationId(TopicNames.DEFAULT)).isEqualTo("groundcontrol-coordinator");
  }

  @Test
  void theCoordinatorsAclsNameTheSameDefault() {
    CliRun run = CliRun.of("acl", "print", "--role", "coordinator", "--principal", "User:gc", "--topic-prefix", "teamb");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.out()).contains("--group teamb-coordinator").doesNotContain("groundcontrol-coordinator");
  }

  @Test
  void anInstallationThatRanUnderTheFormerDefaultIsToldToKeepIt() {
    assertThat(ApplicationIdCheck.decide(TEAM_B, "teamb-coordinator", true, Set.of("teamb"), Set.of()))
        .hasValue("This installation (--topic-prefix teamb) ran under application id groundcontrol-coordinator, the "
            + "default before 2026-12-06, and its missions, queues and schedules are stored under that id; the "
            + "default is now teamb-coordinator: pass --application-id groundcontrol-coordinator to keep them");
  }

  @Test
  void theFormerDefaultsGroupMattersOnlyWhenTheIdWasDefaulted() {
    assertThat(ApplicationIdCheck.decide(TEAM_B, "teamb-coordinator", false, Set.of("teamb"), Set.of())).isEmpty();
    assertThat(ApplicationIdCheck.decide(TopicNames.DEFAULT, "groundcontrol-coordinator", true,
        Set.of("groundcontrol"), Set.of("groundcontrol"))).isEmpty();
  }

  @Test
  void theFormerDefaultsGroupHoldingOnlyOtherInstallationsIsNoReasonToRefuse() {
    assertThat(ApplicationIdCheck.decide(TEAM_B, "teamb-coordinator", true, Set.of("groundcontrol"), Set.of()))
        .isEmpty();
  }

  @Test
  void anApplicationIdWhoseGroupConsumesAnotherPrefixIsRefusedNamingIt() {
    assertThat(ApplicationIdCheck.decide(TEAM_B, "shared", false, Set.of(), Set.of("teama", "teamb")))
        .hasValue("Application id shared is taken by the installation with --topic-prefix teama (its group consumes "
            + "teama.mission-commands): two installations under one application id stall each other and share their "
            + "stores; give this one an --application-id of its own (by default teamb-coordinator)");
    assertThat(ApplicationIdCheck.decide(TEAM_B, "teamb-coordinator", true, Set.of(), Set.of("teama")))
        .hasValueSatisfying(line -> assertThat(line).endsWith("give this one another --application-id"));
  }

  @Test
  void anApplicationIdHoldingOnlyThisInstallationIsFine() {
    assertThat(ApplicationIdCheck.decide(TEAM_B, "teamb-coordinator", true, Set.of(), Set.of("teamb"))).isEmpty();
  }

  @Test
  void anInstallationIsKnownByItsCommandsAndReportsTogether() {
    TopicNames teamA = new TopicNames("team.a");
    assertThat(ApplicationIdCheck.installations(Set.of(teamA.missionCommands(), teamA.stageReports(),
        "shared-KSTREAM-REPARTITION-0000000001-repartition", "orders"))).containsExactly("team.a");
    // A trigger may read another installation's topic; one topic alone names no installation.
    assertThat(ApplicationIdCheck.installations(Set.of(teamA.missionCommands(), TEAM_B.missionEvents()))).isEmpty();
    assertThat(ApplicationIdCheck.installations(Set.of(".mission-commands", ".stage-reports"))).isEmpty();
  }
}
