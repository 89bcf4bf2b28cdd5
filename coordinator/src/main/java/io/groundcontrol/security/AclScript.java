package io.groundcontrol.security;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;

/** Grants as {@code kafka-acls.sh} command lines, one per resource, each after a comment saying why. */
public final class AclScript {
  private AclScript() {}

  /**
   * The lines for {@code principal}.
   *
   * @param bootstrapServers put into each line as {@code --bootstrap-server}
   * @param adminConfig the admin's client properties file, as {@code --command-config}; null for none
   */
  public static List<String> lines(List<Grant> grants, String principal, String bootstrapServers, String adminConfig) {
    List<String> lines = new ArrayList<>();
    for (Grant grant : grants) {
      lines.add("# " + describe(grant.resource()) + ": " + grant.why());
      StringBuilder line = new StringBuilder("kafka-acls.sh --bootstrap-server ").append(quoted(bootstrapServers));
      if (adminConfig != null) {
        line.append(" --command-config ").append(quoted(adminConfig));
      }
      line.append(" --add --allow-principal ").append(quoted(principal));
      for (AclOperation operation : grant.operations()) {
        line.append(" --operation ").append(operationName(operation));
      }
      line.append(' ').append(resourceOption(grant.resource())).append(' ').append(quoted(grant.resource().name()));
      if (grant.resource().patternType() == PatternType.PREFIXED) {
        line.append(" --resource-pattern-type prefixed");
      }
      lines.add(line.toString());
    }
    return lines;
  }

  private static String describe(ResourcePattern resource) {
    String kind = resource.resourceType().name().toLowerCase(Locale.ROOT).replace('_', ' ');
    if (resource.patternType() == PatternType.PREFIXED) {
      return kind + "s starting with " + resource.name();
    }
    return resource.name().equals(ResourcePattern.WILDCARD_RESOURCE) ? "every " + kind : kind + " " + resource.name();
  }

  private static String resourceOption(ResourcePattern resource) {
    return switch (resource.resourceType()) {
      case TOPIC -> "--topic";
      case GROUP -> "--group";
      case TRANSACTIONAL_ID -> "--transactional-id";
      default -> throw new IllegalArgumentException("Expected a topic, group or transactional id, but got " + resource);
    };
  }

  /** {@code DESCRIBE_CONFIGS} is {@code DescribeConfigs} to kafka-acls.sh. */
  private static String operationName(AclOperation operation) {
    StringBuilder name = new StringBuilder();
    for (String word : operation.name().split("_")) {
      name.append(word.charAt(0)).append(word.substring(1).toLowerCase(Locale.ROOT));
    }
    return name.toString();
  }

  /**
   * Single-quoted for a POSIX shell when it holds anything but safe characters; a value starting
   * with {@code $} is a shell variable and is double-quoted so that it expands.
   */
  private static String quoted(String value) {
    if (value.matches("\\$\\{?[A-Za-z_][A-Za-z0-9_]*}?")) {
      return '"' + value + '"';
    }
    return value.matches("[A-Za-z0-9_.:,/@=+-]+") ? value : "'" + value.replace("'", "'\\''") + "'";
  }
}
