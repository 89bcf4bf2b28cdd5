package io.groundcontrol.cli;

import io.groundcontrol.coordinator.CoordinatorConfig;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** The {@code --set KEY=VALUE} Kafka Streams overrides a command passes to a coordinator. */
final class StreamsOverrides {
  private StreamsOverrides() {}

  /**
   * Checks {@code overrides} before anything starts, as {@link CoordinatorConfig#checkOverrides}
   * does, so a bad one is a one-line usage error of {@code spec}'s command rather than a stopped coordinator.
   */
  static void check(CommandSpec spec, Map<String, String> overrides) {
    try {
      CoordinatorConfig.checkOverrides(overrides);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--set: " + e.getMessage());
    }
  }
}
