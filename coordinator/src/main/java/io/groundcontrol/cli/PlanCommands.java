package io.groundcontrol.cli;

import io.groundcontrol.client.PlanPublisher;
import io.groundcontrol.plan.InvalidPlanException;
import io.groundcontrol.plan.PlanFiles;
import io.groundcontrol.plan.PlanProblem;
import io.groundcontrol.schema.Plan;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** `groundcontrol plan ...`. */
@Command(
    name = "plan",
    mixinStandardHelpOptions = true,
    description = "Validate and apply plans.",
    subcommands = {PlanCommands.Validate.class, PlanCommands.Apply.class})
final class PlanCommands {
  private PlanCommands() {}

  /** Loads a plan file, printing every problem and returning null if it is invalid. */
  static Plan load(Path file) {
    try {
      return PlanFiles.load(file);
    } catch (InvalidPlanException e) {
      for (PlanProblem problem : e.problems()) {
        System.err.println(problem.describe());
      }
      return null;
    } catch (IOException e) {
      System.err.println(file + ": cannot read: " + FileProblems.describe(e));
      return null;
    }
  }

  @Command(name = "validate", mixinStandardHelpOptions = true,
      description = "Check a plan file; prints every problem and exits 1 if there is any.")
  static final class Validate implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", description = "Plan file, YAML or JSON.")
    Path file;

    @Override
    public Integer call() {
      Plan plan = load(file);
      if (plan == null) {
        return 1;
      }
      System.out.println(file + ": plan '" + plan.getName() + "' is valid (" + plan.getStages().size()
          + " stages, version " + plan.getVersion() + ")");
      return 0;
    }
  }

  @Command(name = "apply", mixinStandardHelpOptions = true,
      description = "Validate a plan file and make it the plan's latest version. Missions already running keep "
          + "the version they started with.")
  static final class Apply implements Callable<Integer> {
    @Mixin ClusterOptions cluster;
    @Mixin PartitionsOption partitions;

    @Parameters(paramLabel = "FILE", description = "Plan file, YAML or JSON.")
    Path file;

    @Override
    public Integer call() {
      Plan plan = load(file);
      if (plan == null) {
        return 1;
      }
      try (KafkaTarget target = cluster.connect();
          PlanPublisher publisher = new PlanPublisher(target.connection(), cluster.topics(), partitions.partitions)) {
        publisher.apply(plan, file.toString());
      }
      System.out.println("Applied plan '" + plan.getName() + "' version " + plan.getVersion());
      return 0;
    }
  }
}
