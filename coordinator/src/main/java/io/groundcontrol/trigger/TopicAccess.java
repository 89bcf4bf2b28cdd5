package io.groundcontrol.trigger;

import java.util.Set;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/** What the coordinator may do with a trigger's topic, from the cluster's answer to describing it. */
enum TopicAccess {
  /** It exists and the coordinator may read it. */
  READABLE,
  /** It does not exist (yet), or cannot: the trigger waits for it, as for a topic created later. */
  ABSENT,
  /** The coordinator may describe it but not read it. */
  NOT_READABLE,
  /** The coordinator may not even describe it; the cluster does not say whether it exists. */
  NOT_DESCRIBABLE;

  /** The access a successful describe shows: without the operations (an old broker), readable, as before. */
  static TopicAccess of(TopicDescription description) {
    Set<AclOperation> operations = description.authorizedOperations();
    return operations == null || operations.contains(AclOperation.READ) || operations.contains(AclOperation.ALL)
        ? READABLE : NOT_READABLE;
  }

  /**
   * The access a failed describe shows.
   *
   * @throws IllegalStateException if {@code cause} says nothing about access (the check is retried)
   */
  static TopicAccess ofFailure(String topic, Throwable cause) {
    if (cause instanceof UnknownTopicOrPartitionException || cause instanceof InvalidTopicException) {
      return ABSENT;
    }
    if (cause instanceof TopicAuthorizationException) {
      return NOT_DESCRIBABLE;
    }
    throw new IllegalStateException("Could not describe trigger topic " + topic + ": " + cause.getMessage(), cause);
  }

  /** Whether the cluster refuses the coordinator this topic. */
  boolean refused() {
    return this == NOT_READABLE || this == NOT_DESCRIBABLE;
  }
}
