package io.groundcontrol.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code groundcontrol} command. */
@Command(
    name = "groundcontrol",
    mixinStandardHelpOptions = true,
    versionProvider = BuildVersion.class,
    description = "Coordinates data and ML pipelines through Kafka.",
    subcommands = {
      DemoCommand.class,
      DevCommand.class,
      PlanCommands.class,
      MissionCommandsCli.class,
      ApiKeyCommands.class,
      ScheduleCommandsCli.class,
      ComponentCommands.class,
      CoordinatorCommand.class,
      WorkersCommand.class,
      BenchCommand.class,
      ChaosCommand.class,
      BrokerCommand.class,
      AuditCommands.class,
      ReplayCommand.class,
      DeadLettersCommand.class,
      HangingTransactionsCommand.class,
      AclCommand.class,
      CommandLine.HelpCommand.class
    })
public final class GroundcontrolCli implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** Runs the CLI and exits with its exit code. */
  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The CLI, for embedding and tests. */
  public static CommandLine commandLine() {
    return new CommandLine(new GroundcontrolCli())
        .setCaseInsensitiveEnumValuesAllowed(true)
        .setExecutionExceptionHandler(new KafkaRefusals());
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
