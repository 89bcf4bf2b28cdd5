package io.groundcontrol.security;

import static org.apache.kafka.common.acl.AclOperation.CREATE;
import static org.apache.kafka.common.acl.AclOperation.DELETE;
import static org.apache.kafka.common.acl.AclOperation.DESCRIBE;
import static org.apache.kafka.common.acl.AclOperation.DESCRIBE_CONFIGS;
import static org.apache.kafka.common.acl.AclOperation.READ;
import static org.apache.kafka.common.acl.AclOperation.WRITE;
import static org.apache.kafka.common.resource.ResourceType.GROUP;
import static org.apache.kafka.common.resource.ResourceType.TOPIC;
import static org.apache.kafka.common.resource.ResourceType.TRANSACTIONAL_ID;

import io.groundcontrol.schema.wire.TopicNames;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.common.resource.ResourcePattern;

/**
 * The least ACLs each {@link Role} needs on one installation (its topic prefix and the
 * coordinator's application id), and Describe on every consumer group for the roles that list live
 * workers. Nothing here needs a cluster-level ACL: idempotent producers need only WRITE on their
 * topics (Kafka 2.8 and later).
 *
 * @param topics the installation's topic names
 * @param applicationId the coordinator's Kafka Streams application id: prefix of its internal
 *     topics (store changelogs, repartition topics), its consumer group and its transactional ids
 */
public record RoleAcls(TopicNames topics, String applicationId) {
  /** Checks every value. */
  public RoleAcls {
    Objects.requireNonNull(topics, "topics");
    Objects.requireNonNull(applicationId, "applicationId");
    if (applicationId.isBlank()) {
      throw new IllegalArgumentException("Expected an application id, but got an empty one");
    }
  }

  /**
   * What {@code role} needs.
   *
   * @param component the component a worker serves; null for every other role
   * @throws IllegalArgumentException if a worker has no valid component, or another role has one
   */
  public List<Grant> grants(Role role, String component) {
    if ((role == Role.WORKER) != (component != null)) {
      throw new IllegalArgumentException(role == Role.WORKER
          ? "Expected --component for the worker role: a worker's ACLs are those of the component it serves"
          : "Expected --component only with --role worker, but the role is " + role.name().toLowerCase());
    }
    return switch (role) {
      case COORDINATOR -> coordinator();
      case WORKER -> worker(component);
      case OPERATOR -> operator();
      case VIEWER -> viewer();
    };
  }

  /**
   * Read and Describe on each trigger topic, which the coordinator reads besides its own topics:
   * without them its triggers stay inert. Its own topics are left out (no trigger reads them).
   *
   * @param triggersByTopic the names of the triggers on each topic, by topic
   */
  public List<Grant> triggerTopics(Map<String, ? extends Collection<String>> triggersByTopic) {
    List<Grant> grants = new ArrayList<>();
    new TreeMap<>(triggersByTopic).forEach((topic, triggers) -> {
      if (!topic.startsWith(topics.prefix() + ".")) {
        String named = triggers.isEmpty() ? "" : " (" + String.join(", ", new TreeSet<>(triggers)) + ")";
        grants.add(Grant.literal(TOPIC, topic, "the events of its triggers" + named + "; without Read they stay inert",
            READ, DESCRIBE));
      }
    });
    return grants;
  }

  private List<Grant> coordinator() {
    return List.of(
        Grant.literal(TOPIC, topics.missionCommands(),
            "its input, which schedules, triggers and its HTTP API write to; created at first start; a restart barrier is written to it", READ, WRITE, DESCRIBE, CREATE),
        Grant.literal(TOPIC, topics.stageReports(),
            "its input; created at first start; a restart barrier is written to it", READ, WRITE, DESCRIBE, CREATE),
        Grant.literal(TOPIC, topics.schedules(), "the schedules; created at first start", READ, DESCRIBE, CREATE),
        Grant.literal(TOPIC, topics.scheduleCommands(),
            "schedule pause, resume, trigger, also through its API; created at first start", READ, WRITE, DESCRIBE, CREATE),
        Grant.literal(TOPIC, topics.scheduleEvents(),
            "the schedules' log it writes, and its API follows for answers; created at first start",
            READ, WRITE, DESCRIBE, CREATE),
        Grant.literal(TOPIC, topics.scheduledMissionEvents(),
            "scheduled missions' starts and ends, by schedule; created at first start", READ, WRITE, DESCRIBE, CREATE),
        Grant.literal(TOPIC, topics.triggers(), "the trigger store (global); created at first start",
            READ, DESCRIBE, CREATE),
        Grant.literal(TOPIC, topics.plans(), "the plan store (global), plan apply through its API; created at first start",
            READ, WRITE, DESCRIBE, CREATE),
        Grant.literal(TOPIC, topics.missionEvents(),
            "the event log it writes, and its API reads (mission history, what a command caused); created at first start",
            READ, WRITE, DESCRIBE, CREATE),
        Grant.literal(TOPIC, topics.deadLetters(), "undecodable input goes there, its API lists them; created at first start",
            READ, WRITE, DESCRIBE, CREATE),
        Grant.literal(TOPIC, topics.apiKeys(), "its API checks keys against their hashes; created at first start",
            READ, DESCRIBE, CREATE),
        Grant.prefixed(TOPIC, instructionPrefix(),
            "instructions to every component; plan apply through its API creates them, a start recreates deleted ones",
            WRITE, DESCRIBE, CREATE),
        Grant.prefixed(TOPIC, instructionPrefix(), "instructions to every component", WRITE, DESCRIBE),
        Grant.literal(TOPIC, topics.resultsRequests(), "to its results index (reuse); created at first start",
            READ, WRITE, DESCRIBE, CREATE),
        Grant.literal(TOPIC, topics.resultsAnswers(), "from its results index (reuse); created at first start",
            READ, WRITE, DESCRIBE, CREATE),
        Grant.literal(TOPIC, topics.components(),
            "component settings (global store), applied through its API; created at first start",
            READ, WRITE, DESCRIBE, CREATE),
        Grant.literal(TOPIC, topics.componentStatus(),
            "slots of capped components it publishes, and its API and metrics read; created at first start",
            READ, WRITE, DESCRIBE, CREATE),
        Grant.literal(TOPIC, topics.admissionRequests(), "from missions to the admission sub-topology; created at first start",
            READ, WRITE, DESCRIBE, CREATE),
        Grant.literal(TOPIC, topics.admissionGrants(), "from the admission sub-topology to missions; created at first start",
            READ, WRITE, DESCRIBE, CREATE),
        Grant.literal(TOPIC, topics.missionAdmissionRequests(),
            "from missions to the mission-limits sub-topology (max_active_missions); created at first start",
            READ, WRITE, DESCRIBE, CREATE),
        Grant.literal(TOPIC, topics.missionAdmissions(), "from the mission-limits sub-topology to missions; created at first start",
            READ, WRITE, DESCRIBE, CREATE),
        Grant.literal(TOPIC, topics.triggerMatches(),
            "matched events of triggers with a dedup window or batch, to the trigger gate; created at first start",
            READ, WRITE, DESCRIBE, CREATE),
        Grant.prefixed(TOPIC, applicationId,
            "its internal topics: store changelogs, repartition topics (Delete: it purges consumed repartition records)",
            CREATE, READ, WRITE, DESCRIBE, DESCRIBE_CONFIGS, DELETE),
        Grant.literal(GROUP, applicationId, "its consumer group", READ, DESCRIBE),
        liveWorkers("its API's component list"),
        Grant.prefixed(TRANSACTIONAL_ID, applicationId, "exactly-once: one transactional id per stream thread",
            WRITE, DESCRIBE));
  }

  private List<Grant> worker(String component) {
    TopicNames.checkComponent(component);
    return List.of(
        Grant.literal(TOPIC, topics.instructions(component), "its instructions", READ, DESCRIBE),
        Grant.literal(GROUP, component, "the component is the consumer group", READ, DESCRIBE),
        Grant.literal(TOPIC, topics.stageReports(), "its reports", WRITE, DESCRIBE));
  }

  private List<Grant> operator() {
    return List.of(
        Grant.literal(TOPIC, topics.missionCommands(), "mission start, cancel, retry, skip, fail", WRITE, DESCRIBE),
        Grant.literal(TOPIC, topics.plans(), "plan apply; schedule apply checks the plans' params", READ, WRITE, DESCRIBE),
        Grant.literal(TOPIC, topics.schedules(), "schedule apply, schedule list", READ, WRITE, DESCRIBE),
        Grant.literal(TOPIC, topics.triggers(), "schedule apply, schedule list", READ, WRITE, DESCRIBE),
        Grant.literal(TOPIC, topics.scheduleCommands(), "schedule pause, resume, trigger", WRITE, DESCRIBE),
        Grant.literal(TOPIC, topics.scheduleEvents(), "follows what its schedule commands caused; schedule list",
            READ, DESCRIBE),
        Grant.literal(TOPIC, topics.components(), "component apply, component list", READ, WRITE, DESCRIBE),
        Grant.literal(TOPIC, topics.componentStatus(), "component list, mission show", READ, DESCRIBE),
        Grant.literal(TOPIC, topics.missionEvents(), "follows what its commands caused; show, list, audit",
            READ, DESCRIBE),
        Grant.literal(TOPIC, topics.deadLetters(), "dead-letters: the records the coordinator could not take",
            READ, DESCRIBE),
        Grant.prefixed(TOPIC, topics.prefix() + ".", "plan apply checks which topics exist", DESCRIBE),
        Grant.prefixed(TOPIC, instructionPrefix(), "plan apply creates the topics of new components", CREATE),
        Grant.literal(TOPIC, topics.apiKeys(), "apikey create, list, revoke", READ, WRITE, DESCRIBE),
        liveWorkers("component list, mission show"));
  }

  private List<Grant> viewer() {
    return List.of(
        Grant.literal(TOPIC, topics.missionEvents(), "mission show, mission list, audit", READ, DESCRIBE),
        Grant.literal(TOPIC, topics.components(), "component list", READ, DESCRIBE),
        Grant.literal(TOPIC, topics.componentStatus(), "component list, mission show", READ, DESCRIBE),
        Grant.prefixed(TOPIC, instructionPrefix(), "component list: each component has an instruction topic", DESCRIBE),
        liveWorkers("component list, mission show"));
  }

  /**
   * Describe on every group: a component's workers are the consumer group named after it, and
   * component names share no prefix. Describe shows a group's members, not its records.
   */
  private static Grant liveWorkers(String by) {
    return Grant.literal(GROUP, ResourcePattern.WILDCARD_RESOURCE,
        "live workers (" + by + "): a component's consumer group is named after it", DESCRIBE);
  }

  private String instructionPrefix() {
    String sample = topics.instructions("c");
    return sample.substring(0, sample.length() - 1);
  }
}
