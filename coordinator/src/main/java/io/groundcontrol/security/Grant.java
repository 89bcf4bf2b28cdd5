package io.groundcontrol.security;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * Operations allowed on one resource (a topic, group or transactional id, by name or by prefix),
 * with why the role needs them.
 *
 * @param resource the topic, group or transactional id
 * @param operations what is allowed on it
 * @param why the reason, shown next to the grant
 */
public record Grant(ResourcePattern resource, Set<AclOperation> operations, String why) {
  /** Checks every value. */
  public Grant {
    Objects.requireNonNull(resource, "resource");
    Objects.requireNonNull(why, "why");
    if (operations.isEmpty()) {
      throw new IllegalArgumentException("Expected at least one operation on " + resource + ", but got none");
    }
    operations = Collections.unmodifiableSet(EnumSet.copyOf(operations));
  }

  static Grant literal(ResourceType type, String name, String why, AclOperation... operations) {
    return new Grant(new ResourcePattern(type, name, PatternType.LITERAL), Set.of(operations), why);
  }

  static Grant prefixed(ResourceType type, String prefix, String why, AclOperation... operations) {
    return new Grant(new ResourcePattern(type, prefix, PatternType.PREFIXED), Set.of(operations), why);
  }

  /** The grant as Kafka ACL bindings for {@code principal}, from any host; one per operation. */
  public List<AclBinding> bindings(String principal) {
    List<AclBinding> bindings = new ArrayList<>();
    for (AclOperation operation : operations) {
      bindings.add(new AclBinding(resource, new AccessControlEntry(principal, "*", operation, AclPermissionType.ALLOW)));
    }
    return bindings;
  }
}
