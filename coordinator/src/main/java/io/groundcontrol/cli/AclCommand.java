package io.groundcontrol.cli;

import io.groundcontrol.schema.wire.TopicNames;
import io.groundcontrol.security.AclInstaller;
import io.groundcontrol.security.AclScript;
import io.groundcontrol.security.Grant;
import io.groundcontrol.security.Role;
import io.groundcontrol.security.RoleAcls;
import java.util.List;
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

    @Option(names = "--application-id", defaultValue = "groundcontrol-coordinator",
        description = "The coordinator's application id (default: ${DEFAULT-VALUE}; `dev` uses <topic prefix>-coordinator).")
    String applicationId;

    @Option(names = "--admin-config", paramLabel = "FILE",
        description = "Admin client properties file for the printed lines' --command-config.")
    String adminConfig;

    @Option(names = "--apply", description = "Create the ACLs through the Admin API instead of printing them.")
    boolean apply;

    @Override
    public Integer call() {
      List<Grant> grants = grants();
      if (!apply) {
        String bootstrap = cluster.bootstrapServers != null ? cluster.bootstrapServers : "$BOOTSTRAP_SERVERS";
        System.out.println("# " + principal + " as " + role.description());
        AclScript.lines(grants, principal, bootstrap, adminConfig).forEach(System.out::println);
        return 0;
      }
      try (KafkaTarget target = cluster.connect(); Admin admin = target.connection().admin()) {
        int created = AclInstaller.apply(admin, grants, principal);
        System.out.println("Created " + created + " ACLs for " + principal + " as " + role.name().toLowerCase()
            + " on " + target.bootstrapServers());
      }
      return 0;
    }

    private List<Grant> grants() {
      if (!principal.matches("[^:\\s]+:\\S.*")) {
        throw new ParameterException(spec.commandLine(),
            "Expected --principal as TYPE:NAME, e.g. User:alice, but got '" + principal + "'");
      }
      try {
        return new RoleAcls(new TopicNames(cluster.topicPrefix), applicationId).grants(role, component);
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), e.getMessage());
      }
    }
  }
}
