package io.groundcontrol.cli;

import io.groundcontrol.chaos.ChaosReport;
import io.groundcontrol.chaos.ChaosRun;
import io.groundcontrol.chaos.ChaosSettings;
import io.groundcontrol.chaos.Coordinators;
import io.groundcontrol.chaos.Fault;
import io.groundcontrol.schema.Plan;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** `groundcontrol chaos`: missions under an injected fault, then a check of the whole event log. */
@Command(
    name = "chaos",
    mixinStandardHelpOptions = true,
    description = {
      "Start a broker, one or more coordinator instances and the example workers, each in a process of its own on a "
          + "scratch directory; start N missions of a plan at once; kill one process mid-run (SIGKILL) and restart it "
          + "(or, coordinator-lost, not); then read the "
          + "whole event log and print what it holds: missions started, ended by status, never ended, started or "
          + "ended twice, attempts dispatched twice, finish reports written in time but rejected, and the time from "
          + "the fault to recovery and to the end of every mission.",
      "Exits 1 if any mission was lost or done twice, an in-time report was rejected, or a coordinator the run did "
          + "not kill for good stopped."})
final class ChaosCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--fault", split = ",", converter = FaultConverter.class, defaultValue = "coordinator-same-dir",
      description = "Fault(s) to inject, one run each: none, coordinator-same-dir, coordinator-fresh-dir, "
          + "coordinator-lost (with 2 or more --coordinators), worker, broker, or all (default: ${DEFAULT-VALUE}). "
          + "A coordinator fault strikes the instance owning the most mission partitions.")
  List<String> faults;

  @Option(names = "--missions", defaultValue = "1000", description = "Missions per run (default: ${DEFAULT-VALUE}).")
  int missions;

  @Option(names = "--coordinators", defaultValue = "1",
      description = "Coordinator instances, each with its own state dir and API port, one application id; "
          + "missions start once all have joined (default: ${DEFAULT-VALUE}).")
  int coordinators;

  @Option(names = "--partitions",
      description = "Partitions of the installation's topics, at least --coordinators (default: 3 for one "
          + "coordinator, 2 per coordinator for more).")
  Integer partitions;

  @Option(names = "--standby-replicas", defaultValue = "0",
      description = "The coordinators' --standby-replicas: warm copies of each store on other instances, at most "
          + "--coordinators minus 1 (default: ${DEFAULT-VALUE}).")
  int standbyReplicas;

  @Option(names = "--parked", defaultValue = "0",
      description = "Missions of a plan no worker serves, started before the others and left waiting in the "
          + "coordinator's store: how a large store changes a restart (default: ${DEFAULT-VALUE}).")
  int parked;

  @Option(names = "--quick", description = "20 missions per run: a check in about a minute per fault.")
  boolean quick;

  @Option(names = "--plan", paramLabel = "FILE", description = "Plan file (default: the demo's examples/diamond.yaml).")
  Path planFile;

  @Option(names = "--parallelism", defaultValue = "4", description = "Handler threads per component (default: ${DEFAULT-VALUE}).")
  int parallelism;

  @Option(names = "--fault-after", defaultValue = "0.3",
      description = "Share of all stages finished when the fault is injected (default: ${DEFAULT-VALUE}).")
  double faultAfter;

  @Option(names = "--deadline", defaultValue = "PT15M", description = "Longest one run may take, ISO-8601 (default: ${DEFAULT-VALUE}).")
  Duration deadline;

  @Option(names = "--keep", description = "Keep each run's scratch directory (data, state, child process logs).")
  boolean keep;

  @Option(names = "--set", paramLabel = "KEY=VALUE",
      description = "A Kafka Streams property of the coordinator under test, as its --set takes it, e.g. "
          + "enable.transactional.statestores=true on a build against Kafka Streams 4.4 (see BENCHMARKS.md). "
          + "Repeatable.")
  Map<String, String> overrides = new LinkedHashMap<>();

  @Override
  public Integer call() {
    StreamsOverrides.check(spec, overrides);
    Plan plan = planFile == null ? DemoCommand.builtInExample() : PlanCommands.load(planFile);
    if (plan == null) {
      return 2;
    }
    Coordinators instances = coordinators();
    for (String label : faults) {
      if (!label.equals("all") && Fault.of(label).minimumCoordinators() > instances.count()) {
        throw new ParameterException(spec.commandLine(), "Fault " + label + " needs --coordinators "
            + Fault.of(label).minimumCoordinators() + " or more");
      }
    }
    List<ChaosRun.Result> results = new ArrayList<>();
    for (String label : faults) {
      List<Fault> selected = label.equals("all")
          ? Arrays.stream(Fault.values()).filter(f -> f.minimumCoordinators() <= instances.count()).toList()
          : List.of(Fault.of(label));
      for (Fault fault : selected) {
        ChaosSettings settings = new ChaosSettings(fault, instances, quick ? 20 : missions, parked, parallelism, faultAfter,
            deadline, keep, overrides, line -> System.out.println("[chaos " + fault + "] " + line));
        try (ChaosRun run = new ChaosRun(settings)) {
          ChaosRun.Result result = run.run(plan);
          results.add(result);
          if (keep || result.broken()) {
            System.out.println("[chaos " + fault + "] scratch directory kept: " + result.scratch());
          }
        }
      }
    }
    System.out.println();
    ChaosReport.print(results, System.out);
    return results.stream().anyMatch(ChaosRun.Result::broken) ? 1 : 0;
  }

  private Coordinators coordinators() {
    try {
      return partitions == null ? Coordinators.of(coordinators, standbyReplicas)
          : new Coordinators(coordinators, partitions, standbyReplicas);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  /** Checks each fault name when given. */
  static final class FaultConverter implements ITypeConverter<String> {
    @Override
    public String convert(String value) {
      String label = value.strip().toLowerCase(java.util.Locale.ROOT);
      if (!label.equals("all")) {
        Fault.of(label);
      }
      return label;
    }
  }
}
