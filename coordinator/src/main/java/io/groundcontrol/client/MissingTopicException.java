package io.groundcontrol.client;

/**
 * A topic of the installation is not on the cluster: no coordinator has run there with this topic
 * prefix, or the address reaches another cluster. Its message is one line for the CLI to print.
 */
public final class MissingTopicException extends IllegalStateException {
  public MissingTopicException(String message) {
    super(message);
  }
}
