package io.groundcontrol.client;

import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;

/**
 * Turns a refusal by a secured cluster into one line that says who was refused, what, and what
 * to do. Authentication and authorization failures are not retriable: a client that meets one
 * stops and says this line, instead of retrying until a timeout.
 */
public final class KafkaAccessErrors {
  private static final String HINT = "; grant its role's ACLs (see `groundcontrol acl print`)";

  private KafkaAccessErrors() {}

  /** Whether {@code error}, or one of its causes, is a refusal to authenticate or authorize. */
  public static boolean isAccessError(Throwable error) {
    return accessCause(error).isPresent();
  }

  /** The one-line explanation of {@code error}, if it (or a cause) is an authentication or authorization failure. */
  public static Optional<String> describe(Throwable error, KafkaConnection kafka) {
    return accessCause(error).map(cause -> describeCause(cause, kafka));
  }

  private static Optional<Throwable> accessCause(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof AuthenticationException || t instanceof AuthorizationException) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }

  private static String describeCause(Throwable cause, KafkaConnection kafka) {
    String who = kafka == null ? "this client" : kafka.principal();
    String where = kafka == null ? "Kafka" : "Kafka at " + kafka.bootstrapServers();
    if (cause instanceof AuthenticationException) {
      return where + " refused to authenticate " + who
          + (kafka == null ? "" : " over " + kafka.securityProtocol()) + ": " + oneLine(cause.getMessage())
          + "; check the credentials in the Kafka config file (--kafka-config)";
    }
    if (cause instanceof TopicAuthorizationException topics) {
      Set<String> names = new TreeSet<>(topics.unauthorizedTopics());
      return where + " refused " + who + " access to topic" + (names.size() == 1 ? " " : "s ")
          + (names.isEmpty() ? oneLine(cause.getMessage()) : String.join(", ", names)) + HINT;
    }
    if (cause instanceof GroupAuthorizationException group) {
      String name = group.groupId() == null ? oneLine(cause.getMessage()) : group.groupId();
      return where + " refused " + who + " access to consumer group " + name + HINT;
    }
    if (cause instanceof TransactionalIdAuthorizationException) {
      return where + " refused " + who + " a transactional id (" + oneLine(cause.getMessage()) + ")" + HINT;
    }
    if (cause instanceof ClusterAuthorizationException) {
      return where + " refused " + who + " a cluster operation (" + oneLine(cause.getMessage()) + ")" + HINT;
    }
    return where + " refused " + who + ": " + oneLine(cause.getMessage()) + HINT;
  }

  private static String oneLine(String message) {
    return message == null ? "no reason given" : message.replaceAll("\\s*\\R\\s*", " ").trim();
  }
}
