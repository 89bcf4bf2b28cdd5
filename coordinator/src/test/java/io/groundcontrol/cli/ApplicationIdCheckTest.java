package io.groundcontrol.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.audit.CliRun;
import io.groundcontrol.coordinator.CoordinatorConfig;
import io.groundcontrol.cli.ApplicationIdCheck.GroupTopics;
import io.groundcontrol.schema.wire.TopicNames;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Each installation runs under its own application id: by default {@code <topic prefix>-coordinator},
 * and never one whose group already consumes another installation's topics.
 */
class ApplicationIdCheckTest {
  private static final TopicNames TEAM_B = new TopicNames("teamb");
  private static final TopicNames ACME = new TopicNames("acme");
  private static final GroupTopics NONE = GroupTopics.NONE;
  private static final String SERVERS = "kafka1:9092";
  private static final String FORMER = ApplicationIdCheck.FORMER_DEFAULT;

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
    assertThat(ApplicationIdCheck.decide(TEAM_B, "teamb-coordinator", true, committed("teamb"), NONE, SERVERS))
        .hasValue("This installation (--topic-prefix teamb) ran under application id groundcontrol-coordinator, the "
            + "default before 2026-12-06, and its missions, queues and schedules are stored under that id; the "
            + "default is now teamb-coordinator: pass --application-id groundcontrol-coordinator to keep them");
  }

  @Test
  void theFormerDefaultsGroupMattersOnlyWhenTheIdWasDefaulted() {
    assertThat(ApplicationIdCheck.decide(TEAM_B, "teamb-coordinator", false, committed("teamb"), NONE, SERVERS)).isEmpty();
    assertThat(ApplicationIdCheck.decide(TopicNames.DEFAULT, "groundcontrol-coordinator", true,
        committed("groundcontrol"), committed("groundcontrol"), SERVERS)).isEmpty();
  }

  @Test
  void theFormerDefaultsGroupHoldingOnlyOtherInstallationsIsNoReasonToRefuse() {
    assertThat(ApplicationIdCheck.decide(TEAM_B, "teamb-coordinator", true, committed("groundcontrol"), NONE, SERVERS))
        .isEmpty();
  }

  @Test
  void anApplicationIdWhoseGroupConsumesAnotherPrefixIsRefusedNamingIt() {
    assertThat(ApplicationIdCheck.decide(TEAM_B, "shared", false, NONE, committed("teama", "teamb"), SERVERS))
        .hasValue("Application id shared is taken by the installation with --topic-prefix teama (its group consumes "
            + "teama.mission-commands): two installations under one application id stall each other and share their "
            + "stores; give this one an --application-id of its own (by default teamb-coordinator)");
    assertThat(ApplicationIdCheck.decide(TEAM_B, "teamb-coordinator", true, NONE, committed("teama"), SERVERS))
        .hasValueSatisfying(line -> assertThat(line).endsWith("give this one another --application-id"));
  }

  @Test
  void anApplicationIdHoldingOnlyThisInstallationIsFine() {
    assertThat(ApplicationIdCheck.decide(TEAM_B, "teamb-coordinator", true, NONE, committed("teamb"), SERVERS)).isEmpty();
  }

  @Test
  void theDefaultPrefixKeepsItsDefaultIdWhereTheOffsetsOfAnotherInstallationLinger() {
    // Both ran under the former default (the bug fixed on 2026-12-06); acme's offsets linger there.
    GroupTopics shared = committed("groundcontrol", "acme");

    assertThat(ApplicationIdCheck.decide(TopicNames.DEFAULT, FORMER, true, shared, shared, SERVERS)).isEmpty();
    assertThat(ApplicationIdCheck.decide(TopicNames.DEFAULT, FORMER, false, shared, shared, SERVERS)).isEmpty();
    assertThat(ApplicationIdCheck.leftovers(TopicNames.DEFAULT, FORMER, shared, SERVERS)).containsExactly("Group "
        + FORMER + " holds offsets of the installation with --topic-prefix acme, left from before 2026-12-06 when every "
        + "installation defaulted to this id; this one ignores them, and that one, started under its own id, says to "
        + "remove them: kafka-consumer-groups --bootstrap-server kafka1:9092 --delete-offsets --group " + FORMER
        + " --topic acme.mission-commands --topic acme.schedules --topic acme.stage-reports");
  }

  @Test
  void theDefaultPrefixIsRefusedItsDefaultIdWhileAnotherInstallationRunsThere() {
    GroupTopics acmeRunning = new GroupTopics(committed("groundcontrol", "acme").committed(),
        committed("acme").committed());

    assertThat(ApplicationIdCheck.decide(TopicNames.DEFAULT, FORMER, true, acmeRunning, acmeRunning, SERVERS))
        .hasValue("Application id " + FORMER + ", this installation's default, is in use by the coordinator of the "
            + "one with --topic-prefix acme, which still runs under the default of before 2026-12-06: two "
            + "installations under one application id stall each other and share their stores; stop that "
            + "coordinator first (upgraded, it moves to its own id)");
    assertThat(ApplicationIdCheck.leftovers(TopicNames.DEFAULT, FORMER, acmeRunning, SERVERS)).isEmpty();
  }

  @Test
  void anotherInstallationThatSharedTheFormerDefaultIsSentToItsOwnIdAfterRemovingItsOffsets() {
    GroupTopics shared = committed("groundcontrol", "acme");
    String truth = "This installation (--topic-prefix acme) ran under application id " + FORMER + ", the default of "
        + "every installation before 2026-12-06, together with the one with --topic-prefix groundcontrol, so its "
        + "missions, queues and schedules there were never consistent: remove its offsets from that group "
        + "(kafka-consumer-groups --bootstrap-server kafka1:9092 --delete-offsets --group " + FORMER
        + " --topic acme.mission-commands --topic acme.schedules --topic acme.stage-reports) and start it under its "
        + "own id acme-coordinator (no --application-id), where it starts afresh, reading its topics from their start";

    // Defaulted, and with the id the line of before sent it to: the same line, which leads to an id it is given.
    assertThat(ApplicationIdCheck.decide(ACME, "acme-coordinator", true, shared, NONE, SERVERS)).hasValue(truth);
    assertThat(ApplicationIdCheck.decide(ACME, FORMER, false, shared, shared, SERVERS)).hasValue(truth);
    // Its offsets removed, as told:
    GroupTopics left = committed("groundcontrol");
    assertThat(ApplicationIdCheck.decide(ACME, "acme-coordinator", true, left, NONE, SERVERS)).isEmpty();
  }

  @Test
  void theOffsetsToRemoveAreThoseOfThePrefixAlone() {
    GroupTopics shared = committed("groundcontrol", "acme", "acme.eu");
    Set<String> committed = new HashSet<>(shared.committed());
    committed.add("orders");
    shared = new GroupTopics(committed, Set.of());

    assertThat(ApplicationIdCheck.decide(ACME, "acme-coordinator", true, shared, NONE, SERVERS))
        .hasValueSatisfying(line -> assertThat(line).contains("--group " + FORMER + " --topic acme.mission-commands "
            + "--topic acme.schedules --topic acme.stage-reports) and"));
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

  /** A group with offsets committed on the commands, reports and schedules of each installation named. */
  private static GroupTopics committed(String... prefixes) {
    Set<String> topics = new HashSet<>();
    for (String prefix : prefixes) {
      TopicNames names = new TopicNames(prefix);
      topics.addAll(Set.of(names.missionCommands(), names.stageReports(), names.schedules()));
    }
    return new GroupTopics(topics, Set.of());
  }
}
