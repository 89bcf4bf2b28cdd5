package io.groundcontrol.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.groundcontrol.schema.wire.TopicNames;
import java.util.List;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;

class RoleAclsTest {
  private final RoleAcls acls = new RoleAcls(new TopicNames("gc"), "gc-coordinator");

  @Test
  void theCoordinatorReadsEachTriggerTopicButNoneOfItsOwnThatWay() {
    List<Grant> grants = acls.triggerTopics(java.util.Map.of("erp.orders", List.of("b", "a"), "gc.plans", List.of("c")));

    assertThat(grants).extracting(grant -> grant.resource().resourceType() + " " + grant.resource().name() + " "
            + grant.resource().patternType() + " " + grant.operations() + " " + grant.why())
        .containsExactly("TOPIC erp.orders LITERAL [READ, DESCRIBE] the events of its triggers (a, b); without Read "
            + "they stay inert");
  }

  @Test
  void aWorkerReadsItsInstructionsInItsGroupAndWritesReports() {
    List<Grant> grants = acls.grants(Role.WORKER, "ml");

    assertThat(grants).extracting(grant -> grant.resource().resourceType() + " " + grant.resource().name() + " "
            + grant.resource().patternType() + " " + grant.operations())
        .containsExactly(
            "TOPIC gc.instructions.ml LITERAL [READ, DESCRIBE]",
            "GROUP ml LITERAL [READ, DESCRIBE]",
            "TOPIC gc.stage-reports LITERAL [WRITE, DESCRIBE]");
  }

  @Test
  void aViewerOnlyReadsTheEventLogAndTheComponents() {
    List<Grant> topics = acls.grants(Role.VIEWER, null).stream()
        .filter(grant -> grant.resource().resourceType() == ResourceType.TOPIC)
        .filter(grant -> grant.resource().patternType() == PatternType.LITERAL).toList();
    assertThat(topics).extracting(grant -> grant.resource().name())
        .containsExactly("gc.mission-events", "gc.components", "gc.component-status");
    assertThat(topics).allSatisfy(grant ->
        assertThat(grant.operations()).containsExactlyInAnyOrder(AclOperation.READ, AclOperation.DESCRIBE));
  }

  @Test
  void aViewerOnlyDescribesTheInstructionTopicsToListTheComponents() {
    assertThat(acls.grants(Role.VIEWER, null)).filteredOn(grant -> grant.resource().patternType() == PatternType.PREFIXED)
        .singleElement().satisfies(grant -> {
          assertThat(grant.resource().name()).isEqualTo("gc.instructions.");
          assertThat(grant.operations()).containsExactly(AclOperation.DESCRIBE);
        });
  }

  @Test
  void everyRoleThatListsLiveWorkersDescribesEveryGroupAndNothingMore() {
    for (Role role : List.of(Role.VIEWER, Role.OPERATOR, Role.COORDINATOR)) {
      assertThat(acls.grants(role, null)).as(role.name())
          .filteredOn(grant -> grant.resource().resourceType() == ResourceType.GROUP
              && grant.resource().name().equals(ResourcePattern.WILDCARD_RESOURCE))
          .singleElement().satisfies(grant -> {
            assertThat(grant.resource().patternType()).isEqualTo(PatternType.LITERAL);
            assertThat(grant.operations()).containsExactly(AclOperation.DESCRIBE);
          });
    }
    assertThat(acls.grants(Role.WORKER, "ml"))
        .noneMatch(grant -> grant.resource().name().equals(ResourcePattern.WILDCARD_RESOURCE));
    assertThat(AclScript.lines(acls.grants(Role.VIEWER, null), "User:viewer", "k:9093", null))
        .contains("# every group: live workers (component list, mission show): a component's consumer group is named after it");
  }

  @Test
  void theCoordinatorOwnsItsInternalTopicsGroupAndTransactionalIdsByPrefix() {
    List<Grant> grants = acls.grants(Role.COORDINATOR, null);

    assertThat(grants).filteredOn(grant -> grant.resource().name().equals("gc-coordinator"))
        .extracting(grant -> grant.resource().resourceType() + " " + grant.resource().patternType())
        .containsExactlyInAnyOrder("TOPIC PREFIXED", "GROUP LITERAL", "TRANSACTIONAL_ID PREFIXED");
    assertThat(grants).noneMatch(grant -> grant.resource().resourceType() == ResourceType.CLUSTER);
    // Schedules and triggers start missions by writing to the coordinator's own input, and restart
    // barriers make its timers wait for the backlog.
    assertThat(grants).filteredOn(grant -> grant.resource().name().equals("gc.mission-commands"))
        .singleElement().satisfies(grant -> assertThat(grant.operations())
            .containsExactlyInAnyOrder(AclOperation.READ, AclOperation.WRITE, AclOperation.DESCRIBE, AclOperation.CREATE));
    assertThat(grants).filteredOn(grant -> grant.resource().name().equals("gc.api-keys"))
        .singleElement().satisfies(grant -> assertThat(grant.operations()).doesNotContain(AclOperation.WRITE));
    // Its API pauses, resumes and fires schedules and applies component settings, and reads their answers.
    for (String topic : List.of("gc.schedule-commands", "gc.schedule-events", "gc.components", "gc.component-status")) {
      assertThat(grants).filteredOn(grant -> grant.resource().name().equals(topic)).singleElement()
          .satisfies(grant -> assertThat(grant.operations()).as(topic).contains(AclOperation.READ, AclOperation.WRITE));
    }
  }

  @Test
  void anOperatorWritesCommandsAndPlansButReadsNoReports() {
    List<Grant> grants = acls.grants(Role.OPERATOR, null);

    assertThat(grants).filteredOn(grant -> grant.operations().contains(AclOperation.WRITE))
        .extracting(grant -> grant.resource().name()).containsExactly("gc.mission-commands", "gc.plans", "gc.schedules",
            "gc.triggers", "gc.schedule-commands", "gc.components", "gc.api-keys");
    assertThat(grants).filteredOn(grant -> grant.operations().contains(AclOperation.READ))
        .extracting(grant -> grant.resource().name()).containsExactly("gc.plans", "gc.schedules", "gc.triggers",
            "gc.schedule-events", "gc.components", "gc.component-status", "gc.mission-events", "gc.dead-letters", "gc.api-keys");
  }

  @Test
  void theComponentIsForWorkersOnly() {
    assertThatThrownBy(() -> acls.grants(Role.WORKER, null)).hasMessageStartingWith("Expected --component");
    assertThatThrownBy(() -> acls.grants(Role.VIEWER, "ml"))
        .hasMessage("Expected --component only with --role worker, but the role is viewer");
    assertThatThrownBy(() -> acls.grants(Role.WORKER, "Bad Name")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void printedLinesAreKafkaAclsCommands() {
    List<String> lines = AclScript.lines(acls.grants(Role.WORKER, "ml"), "User:CN=w1,O=acme", "$BOOTSTRAP_SERVERS",
        "admin.properties");

    assertThat(lines).containsExactly(
        "# topic gc.instructions.ml: its instructions",
        "kafka-acls.sh --bootstrap-server \"$BOOTSTRAP_SERVERS\" --command-config admin.properties --add "
            + "--allow-principal User:CN=w1,O=acme --operation Read --operation Describe --topic gc.instructions.ml",
        "# group ml: the component is the consumer group",
        "kafka-acls.sh --bootstrap-server \"$BOOTSTRAP_SERVERS\" --command-config admin.properties --add "
            + "--allow-principal User:CN=w1,O=acme --operation Read --operation Describe --group ml",
        "# topic gc.stage-reports: its reports",
        "kafka-acls.sh --bootstrap-server \"$BOOTSTRAP_SERVERS\" --command-config admin.properties --add "
            + "--allow-principal User:CN=w1,O=acme --operation Write --operation Describe --topic gc.stage-reports");
    assertThat(AclScript.lines(acls.grants(Role.COORDINATOR, null), "User:c", "k:9093", null))
        .anyMatch(line -> line.endsWith("--operation Write --operation Describe --transactional-id gc-coordinator "
            + "--resource-pattern-type prefixed"))
        .anyMatch(line -> line.contains("--operation DescribeConfigs"));
  }

  @Test
  void aGrantBecomesOneAllowBindingPerOperationFromAnyHost() {
    Grant grant = acls.grants(Role.VIEWER, null).get(0);

    assertThat(grant.bindings("User:v")).hasSize(2).allSatisfy(binding -> {
      assertThat(binding.entry().principal()).isEqualTo("User:v");
      assertThat(binding.entry().host()).isEqualTo("*");
      assertThat(binding.pattern().patternType()).isEqualTo(PatternType.LITERAL);
    });
  }
}
