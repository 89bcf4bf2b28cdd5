package io.groundcontrol.cli;

import picocli.CommandLine.Option;

/** The partition count of an installation's topics, for a command that may be the first to create them. */
final class PartitionsOption {
  @Option(names = "--partitions", defaultValue = "6",
      description = "Partitions of the installation's mission-keyed, scheduler and instruction topics if this "
          + "command creates them first (the count caps coordinator instances and a component's worker "
          + "processes); once mission-commands exists, its count is used (default: ${DEFAULT-VALUE}, as coordinator's).")
  int partitions;
}
