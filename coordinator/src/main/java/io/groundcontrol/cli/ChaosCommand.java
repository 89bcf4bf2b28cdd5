package io.groundcontrol.cli;

import io.groundcontrol.chaos.ChaosReport;
import io.groundcontrol.chaos.ChaosRun;
import io.groundcontrol.chaos.ChaosSettings;
import io.groundcontrol.chaos.Fault;
import io.groundcontrol.schema.Plan;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** `groundcontrol chaos`: missions under an injected fault, then a check of the whole event log. */
@Command(
    name = "chaos",
    mixinStandardHelpOptions = true,
    description = {
      "Start a broker, the coordinator and the example workers, each in a process of its own on a scratch directory; "
          + "start N missions of a plan at once; kill one process mid-run (SIGKILL) and restart it; then read the "
          + "whole event log and print what it holds: missions started, ended by status, never ended, started or "
          + "ended twice, attempts dispatched twice, finish reports written in time but rejected, and the time from "
          + "the fault to recovery and to the end of every mission.",
      "Exits 1 if any mission was lost or done twice, or an in-time report was rejected."})
final class ChaosCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--fault", split = ",", converter = FaultConverter.class, defaultValue = "coordinator-same-dir",
      description = "Fault(s) to inject, one run each: none, coordinator-same-dir, coordinator-fresh-dir, worker, "
          + "broker, or all (default: ${DEFAULT-VALUE}).")
  List<String> faults;

  @Option(names = "--missions", defaultValue = "1000", description = "Missions per run (default: ${DEFAULT-VALUE}).")
  int missions;

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
    List<ChaosRun.Result> results = new ArrayList<>();
    for (String label : faults) {
      List<Fault> selected = label.equals("all") ? List.of(Fault.values()) : List.of(Fault.of(label));
      for (Fault fault : selected) {
        ChaosSettings settings = new ChaosSettings(fault, quick ? 20 : missions, parked, parallelism, faultAfter,
            deadline, keep, overrides, line -> System.out.println("[chaos " + fault + "] " + line));
        try (ChaosRun run = new ChaosRun(settings)) {
          ChaosRun.Result result = run.run(plan);
          results.add(result);
          if (keep || result.tally().broken()) {
            System.out.println("[chaos " + fault + "] scratch directory kept: " + result.scratch());
          }
        }
      }
    }
    System.out.println();
    ChaosReport.print(results, System.out);
    return results.stream().anyMatch(r -> r.tally().broken()) ? 1 : 0;
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
