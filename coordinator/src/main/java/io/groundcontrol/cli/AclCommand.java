package io.groundcontrol.cli;

import io.groundcontrol.coordinator.CoordinatorConfig;
import io.groundcontrol.schedule.ScheduleFile;
import io.groundcontrol.schema.wire.TopicNames;
import io.groundcontrol.security.AclInstaller;
import io.groundcontrol.security.AclScript;
import io.groundcontrol.security.Grant;
import io.groundcontrol.security.Role;
import io.groundcontrol.security.RoleAcls;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** `groundcontrol acl ...`: the least ACLs of each role on a secured cluster. */
@Command(
    name = "acl",
    mixinStandardHelpOptions = true,
    description = "The Kafka ACLs each role needs on a cluster with an authorizer (README \"Security\").",
    subcommands = {AclCommand.Print.class})
final class AclCommand {
  /** Said when the coordinator's ACLs name no trigger topic: it needs Read on each, or its triggers stay inert. */
  static final String NO_TRIGGER_TOPICS = "Trigger topics: none named. The coordinator also needs Read on the topic of "
      + "each trigger; add --schedules FILE (or --trigger-topic TOPIC) to include them, or its triggers stay inert";

  private AclCommand() {}

  @Command(name = "print", mixinStandardHelpOptions = true,
      description = "Print the kafka-acls.sh lines that give PRINCIPAL the role's ACLs, or create them with --apply "
          + "(run that as a principal allowed to alter ACLs, e.g. with --kafka-config admin.properties).")
  static final class Print implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ClusterOptions cluster;

    @Option(names = "--role", required = true, paramLabel = "ROLE",
        description = "coordinator, worker, operator or viewer.")
    Role role;

    @Option(names = "--principal", required = true, paramLabel = "PRINCIPAL",
        description = "The Kafka principal, e.g. User:coordinator (SASL user) or User:CN=host,O=org (TLS certificate).")
    String principal;

    @Option(names = "--component", paramLabel = "C", description = "The component a worker serves (role worker only).")
    String component;

    @Option(names = "--application-id",
        description = "The coordinator's application id (default: <topic prefix>-coordinator, as `coordinator` and "
            + "`dev` use).")
    String applicationId;

    @Option(names = "--admin-config", paramLabel = "FILE",
        description = "Admin client properties file for the printed lines' --command-config.")
    String adminConfig;

    @Option(names = "--apply", description = "Create the ACLs through the Admin API instead of printing them.")
    boolean apply;

    @Option(names = "--schedules", paramLabel = "FILE",
        description = "The schedules file (role coordinator only): also Read on the topic of each of its triggers.")
    Path schedules;

    @Option(names = "--trigger-topic", paramLabel = "TOPIC",
        description = "A topic a trigger reads (role coordinator only; repeatable): also Read on it.")
    List<String> triggerTopics = new ArrayList<>();

    @Override
    public Integer call() {
      Optional<Map<String, Set<String>>> triggers = triggersByTopic();
      if (triggers.isEmpty()) {
        return 1;
      }
      List<Grant> grants = grants(triggers.get());
      if (!apply) {
        String bootstrap = cluster.bootstrapServers != null ? cluster.bootstrapServers : "$BOOTSTRAP_SERVERS";
        System.out.println("# " + principal + " as " + role.description());
        if (role == Role.COORDINATOR && triggers.get().isEmpty()) {
          System.out.println("# " + NO_TRIGGER_TOPICS);
        }
        AclScript.lines(grants, principal, bootstrap, adminConfig).forEach(System.out::println);
        return 0;
      }
      try (KafkaTarget target = cluster.connect(); Admin admin = target.connection().admin()) {
        int created = AclInstaller.apply(admin, grants, principal);
        System.out.println("Created " + created + " ACLs for " + principal + " as " + role.name().toLowerCase()
            + " on " + target.bootstrapServers());
      }
      if (role == Role.COORDINATOR && triggers.get().isEmpty()) {
        System.err.println("Note: " + NO_TRIGGER_TOPICS);
      }
      return 0;
    }

    private List<Grant> grants(Map<String, Set<String>> triggersByTopic) {
      if (!principal.matches("[^:\\s]+:\\S.*")) {
        throw new ParameterException(spec.commandLine(),
            "Expected --principal as TYPE:NAME, e.g. User:alice, but got '" + principal + "'");
      }
      try {
        TopicNames topics = cluster.topics();
        RoleAcls acls = new RoleAcls(topics,
            applicationId != null ? applicationId : CoordinatorConfig.defaultApplicationId(topics));
        List<Grant> grants = new ArrayList<>(acls.grants(role, component));
        grants.addAll(acls.triggerTopics(triggersByTopic));
        return grants;
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), e.getMessage());
      }
    }

    /** The trigger topics named by --schedules and --trigger-topic, with their triggers; empty if the file is invalid. */
    private Optional<Map<String, Set<String>>> triggersByTopic() {
      if (role != Role.COORDINATOR && (schedules != null || !triggerTopics.isEmpty())) {
        throw new ParameterException(spec.commandLine(), "Expected --schedules and --trigger-topic only with --role "
            + "coordinator (it reads the trigger topics), but the role is " + role.name().toLowerCase());
      }
      Map<String, Set<String>> byTopic = new TreeMap<>();
      for (String topic : triggerTopics) {
        if (!ScheduleFile.TOPIC.matcher(topic).matches()) {
          throw new ParameterException(spec.commandLine(),
              "Expected --trigger-topic to be a topic name (letters, digits, '.', '_', '-'), but got '" + topic + "'");
        }
        byTopic.computeIfAbsent(topic, t -> new TreeSet<>());
      }
      if (schedules != null) {
        ScheduleFile file = ScheduleCommandsCli.load(schedules);
        if (file == null) {
          return Optional.empty();
        }
        file.triggers().forEach(trigger ->
            byTopic.computeIfAbsent(trigger.getTopic(), t -> new TreeSet<>()).add(trigger.getName()));
      }
      return Optional.of(byTopic);
    }
  }
}
