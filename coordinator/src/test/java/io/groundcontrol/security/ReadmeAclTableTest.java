package io.groundcontrol.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.schema.wire.TopicNames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;

/**
 * README's ACL table against {@link RoleAcls}: someone who writes the ACLs by hand from it must get
 * every topic grant {@code acl print} makes, with the same operations.
 */
class ReadmeAclTableTest {
  private static final TopicNames TOPICS = TopicNames.DEFAULT;
  private final RoleAcls acls = new RoleAcls(TOPICS, TOPICS.prefix() + "-coordinator");

  @Test
  void everyTopicGrantOfEachRoleIsInTheTable() throws IOException {
    Map<String, List<String>> segments = tableSegments();
    for (Role role : Role.values()) {
      String name = role.name().toLowerCase(Locale.ROOT);
      // The table's worker is of component C; names are compared in lower case.
      List<Grant> grants = acls.grants(role, role == Role.WORKER ? "c" : null);
      for (Map.Entry<String, Set<String>> grant : topicOperations(grants).entrySet()) {
        assertThat(segments.get(name)).as("README's ACL table, role %s, topic %s", name, grant.getKey())
            .anyMatch(segment -> segment.contains("`" + grant.getKey() + "`")
                && operations(segment).equals(grant.getValue()));
      }
    }
  }

  /** Each topic (as the table names it) with the union of its grants' operations. */
  private static Map<String, Set<String>> topicOperations(List<Grant> grants) {
    Map<String, Set<String>> byTopic = new TreeMap<>();
    for (Grant grant : grants) {
      if (grant.resource().resourceType() != ResourceType.TOPIC) {
        continue;
      }
      String topic = grant.resource().name();
      String named = grant.resource().patternType() == PatternType.PREFIXED ? topic
          : topic.substring(TOPICS.prefix().length() + 1);
      grant.operations().forEach(op -> byTopic.computeIfAbsent(named, t -> new TreeSet<>())
          .add(op.name().replace("_", "").toLowerCase(Locale.ROOT)));
    }
    return byTopic;
  }

  /** "read, describe: `a`, `b`" has read and describe. */
  private static Set<String> operations(String segment) {
    return Arrays.stream(segment.substring(0, segment.indexOf(':')).split(","))
        .map(String::strip).collect(Collectors.toCollection(TreeSet::new));
  }

  /** The "allowed" cells of the table, split at "; ", in lower case, by role. */
  private static Map<String, List<String>> tableSegments() throws IOException {
    List<String> lines = Files.readAllLines(Path.of("..", "README.md"));
    int at = lines.indexOf("| role | allowed (topic names for the default prefix `groundcontrol`) | why |");
    assertThat(at).as("README's ACL table").isNotNegative();
    Map<String, List<String>> segments = new TreeMap<>();
    String role = null;
    for (String line : lines.subList(at + 2, lines.size())) {
      if (!line.startsWith("|")) {
        break;
      }
      String[] cells = line.toLowerCase(Locale.ROOT).split("\\|");
      if (!cells[1].isBlank()) {
        role = cells[1].strip().split("`")[1];
      }
      segments.computeIfAbsent(role, r -> new ArrayList<>()).addAll(List.of(cells[2].strip().split("; ")));
    }
    return segments;
  }
}
