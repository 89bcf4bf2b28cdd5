package io.groundcontrol.cli;

import io.groundcontrol.client.ApiClient;
import io.groundcontrol.client.KafkaAccessErrors;
import io.groundcontrol.client.KafkaClientFailures;
import io.groundcontrol.client.KafkaConnection;
import io.groundcontrol.client.KafkaSettingsException;
import io.groundcontrol.client.MissingTopicException;
import io.groundcontrol.client.NoAnswerException;
import io.groundcontrol.client.WriteNotTakenException;
import io.groundcontrol.coordinator.CoordinatorStoppedException;
import io.groundcontrol.kafka.embedded.EmbeddedKafkaException;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParseResult;

/**
 * Prints one line, not a stack trace, when a command fails because its Kafka settings are wrong
 * (when read, or when a client is made from them), the cluster refused it (credentials, ACLs), or
 * did not answer it in time, naming the principal and what was refused, or for a write, whether it
 * may still land and whether sending it again is safe; because the HTTP API
 * refused it (a revoked key, a bad option); because the local data dir cannot be used (another
 * process runs its broker, or its broker cannot start); or because a coordinator instance could
 * not start (its API port in use, not RUNNING in time). Anything else is rethrown, as picocli
 * would without this handler.
 */
final class KafkaRefusals implements IExecutionExceptionHandler {
  @Override
  public int handleExecutionException(Exception error, CommandLine command, ParseResult parsed) throws Exception {
    KafkaClientOptions options = optionsOf(command.getCommandSpec());
    KafkaConnection connection = options == null ? null : options.lastConnection();
    Optional<String> line = explain(error, connection)
        .or(() -> KafkaClientFailures.describe(error, connection, options == null ? null : options.source()));
    if (line.isEmpty()) {
      throw error;
    }
    command.getErr().println("error: " + line.get());
    return 1;
  }

  static Optional<String> explain(Throwable error, KafkaConnection connection) {
    if (error instanceof WriteNotTakenException && connection != null
        && error.getCause() instanceof java.util.concurrent.TimeoutException) {
      // No answer within the wait may be a client the listener disconnects, as below.
      return Optional.of(error.getMessage() + ". " + unanswered(connection));
    }
    Optional<NoAnswerException> noAnswer = noAnswer(error);
    if (noAnswer.isPresent() && connection != null && !(error instanceof WriteNotTakenException)) {
      return Optional.of(noAnswer.get().getMessage() + ". " + unanswered(connection));
    }
    if (error instanceof KafkaSettingsException || error instanceof CoordinatorStoppedException
        || error instanceof ApiClient.Refused || error instanceof DataDirException
        || error instanceof MissingTopicException || error instanceof WriteNotTakenException) {
      return Optional.of(error.getMessage());
    }
    if (error instanceof EmbeddedKafkaException) {
      return Optional.of(error.getMessage() + causeOf(error));
    }
    Optional<String> refusal = KafkaAccessErrors.describe(error, connection);
    if (refusal.isPresent()) {
      return refusal;
    }
    if (connection == null || !timedOut(error)) {
      return error instanceof InstanceStartException ? Optional.of(error.getMessage()) : Optional.empty();
    }
    // A client without the settings a listener expects (plaintext to a TLS port, TLS without SASL)
    // is not refused but disconnected, and retries until its timeout: say what to check.
    return Optional.of(unanswered(connection));
  }

  /** That Kafka did not answer {@code connection}'s client, and what to check. */
  private static String unanswered(KafkaConnection connection) {
    return "No answer from Kafka at " + connection.bootstrapServers() + " for " + connection.principal()
        + " over " + connection.securityProtocol() + " in time: check the address, and that the listener expects "
        + connection.securityProtocol() + " (a secured listener needs its settings in --kafka-config, README \"Security\")";
  }

  /** ": " and the innermost cause's message (the JDK's file errors name only the path), or "". */
  private static String causeOf(Throwable error) {
    Throwable root = error.getCause();
    if (root == null) {
      return "";
    }
    while (root.getCause() != null) {
      root = root.getCause();
    }
    return ": " + (root instanceof java.io.IOException io ? FileProblems.describe(io)
        : root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName());
  }

  /** The read Kafka gave no first answer to, {@code error} or one of its causes. */
  private static Optional<NoAnswerException> noAnswer(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof NoAnswerException noAnswer) {
        return Optional.of(noAnswer);
      }
    }
    return Optional.empty();
  }

  private static boolean timedOut(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof org.apache.kafka.common.errors.TimeoutException
          || t instanceof java.util.concurrent.TimeoutException) {
        return true;
      }
    }
    return false;
  }

  /** The command's Kafka options, once they made a connection (directly or inside a mixin); null if none. */
  private static KafkaClientOptions optionsOf(CommandSpec spec) {
    if (spec.userObject() instanceof KafkaClientOptions options && options.lastConnection() != null) {
      return options;
    }
    for (CommandSpec mixin : spec.mixins().values()) {
      KafkaClientOptions found = optionsOf(mixin);
      if (found != null) {
        return found;
      }
    }
    return null;
  }
}
