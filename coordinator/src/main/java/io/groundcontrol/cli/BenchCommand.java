package io.groundcontrol.cli;

import io.groundcontrol.bench.BenchRun;
import io.groundcontrol.client.KafkaConnection;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** `groundcontrol bench`: throughput, hand-off latency and scale, against the raw Kafka Streams limit. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = {
      "Measure the coordinator with no-op workers: stage completions/s at 1, 16, 64 and 256 missions in flight "
          + "and on a 1 -> 500 -> 1 plan, hand-off latency, a raw Kafka Streams baseline, growth with stored "
          + "missions and plan size, and (full run) a sweep of guarantee, commit interval, linger and poll settings.",
      "Prints a table, the targets met or missed, and last a line "
          + "`RESULT completions_per_s=N handoff_p50_ms=N handoff_p99_ms=N raw_ratio=N`.",
      "Broker, coordinator, workers and load generator share this machine's cores."
    })
final class BenchCommand implements Callable<Integer> {
  @Option(names = "--quick", description = "About 5 minutes on 2 cores: short windows, 1k and 10k stored missions, no sweep.")
  boolean quick;

  @Option(names = "--bootstrap-servers", description = "Use this cluster instead of an embedded broker.")
  String bootstrapServers;

  @Mixin KafkaClientOptions kafka;

  @Option(names = "--broker-process",
      description = "Run the embedded broker in a JVM of its own, as in production, instead of in this one; its CPU still counts.")
  boolean brokerProcess;

  @Option(names = "--broker-jvm-options", paramLabel = "OPTIONS",
      description = "JVM options of the broker's own JVM, space-separated, e.g. \"-XX:+UseShenandoahGC\"; implies --broker-process.")
  String brokerJvmOptions;

  @Option(names = "--transaction-version", paramLabel = "LEVEL",
      description = "Set the embedded broker's transaction.version feature (KIP-890) to LEVEL before the run: "
          + "2, Kafka 4's default, or 1 or 0, the older transaction protocols.")
  Short transactionVersion;

  @Option(names = "--broker-property", paramLabel = "KEY=VALUE",
      description = "A broker config of the embedded broker, e.g. add.partitions.to.txn.retry.backoff.ms=20 "
          + "(Kafka's default; the embedded node's is 5). Repeatable.")
  Map<String, String> brokerProperties = new LinkedHashMap<>();

  @Option(names = "--only", split = ",", paramLabel = "SCENARIO",
      description = "Run only these scenarios, by name or by a prefix up to a dash, e.g. "
          + "linear3-n64,capped,capped1-n4,capcost,raw-baseline,stored,plan,wide500,sweep-alos.")
  List<String> only = new ArrayList<>();

  @Option(names = "--sweep", negatable = true,
      description = "Also sweep guarantee, commit interval, linger and poll settings (default: on for the full run, off for --quick).")
  Boolean sweep;

  @Option(names = "--at-least-once", description = "Run the coordinator and the baseline at_least_once instead of exactly_once_v2.")
  boolean atLeastOnce;

  @Option(names = "--commit-interval-ms", description = "Coordinator commit interval (default: the coordinator's default).")
  Long commitIntervalMs;

  @Option(names = "--set", paramLabel = "KEY=VALUE", description = "A Kafka Streams property for the coordinator. Repeatable.")
  Map<String, String> overrides = new LinkedHashMap<>();

  @Option(names = "--partitions", defaultValue = "3", description = "Partitions of mission topics (default: ${DEFAULT-VALUE}).")
  int partitions;

  @Option(names = "--parallelism", defaultValue = "256", description = "Handler threads per worker (default: ${DEFAULT-VALUE}).")
  int parallelism;

  @Option(names = "--warmup-seconds", description = "Warm-up per scenario (default: 2 quick, 5 full).")
  Integer warmupSeconds;

  @Option(names = "--measure-seconds", description = "Measured window per scenario (default: 3 quick, 15 full).")
  Integer measureSeconds;

  @Option(names = "--stored", split = ",", description = "Stored-mission counts (default: 1000,10000 quick; 1000,100000,1000000 full).")
  List<Integer> stored;

  @Option(names = "--plan-sizes", split = ",", description = "Stage counts of the plan-size scenario (default: 10,1000,10000).")
  List<Integer> planSizes;

  @Option(names = "--raw-records", description = "Records of the raw baseline (default: 200000 quick, 1000000 full).")
  Integer rawRecords;

  @Option(names = "--profile", paramLabel = "DIR", description = "Record each measured window with JDK Flight Recorder into DIR and print the hot path.")
  Path profileDir;

  @Option(names = "--retention", defaultValue = "7d", converter = RetentionConverter.class,
      description = "The coordinator's retention of ended missions, as `coordinator --retention`; e.g. 1s to "
          + "measure missions forgotten as fast as they end (default: ${DEFAULT-VALUE}).")
  Duration retention;

  @Spec
  CommandSpec spec;

  @Option(names = "--markdown", paramLabel = "FILE", description = "Also write the results table as Markdown to FILE.")
  Path markdown;

  @Override
  public Integer call() throws Exception {
    StreamsOverrides.check(spec, overrides);
    KafkaConnection cluster = bootstrapServers != null || kafka.given() ? kafka.connection(bootstrapServers) : null;
    BenchRun run;
    try {
      run = buildRun(cluster);
    } catch (IllegalArgumentException e) {
      // The run checks its options as it is built: say which was wrong in one line, as picocli does.
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    return run.execute(System.out);
  }

  private BenchRun buildRun(KafkaConnection cluster) {
    return BenchRun.builder(quick)
        .cluster(cluster)
        .brokerProcess(brokerProcess || brokerJvmOptions != null)
        .brokerJvmOptions(brokerJvmOptions == null || brokerJvmOptions.isBlank() ? List.of()
            : List.of(brokerJvmOptions.trim().split("\\s+")))
        .transactionVersion(transactionVersion)
        .brokerProperties(brokerProperties)
        .only(only)
        .sweep(sweep)
        .exactlyOnce(!atLeastOnce)
        .commitIntervalMs(commitIntervalMs)
        .overrides(overrides)
        .partitions(partitions)
        .parallelism(parallelism)
        .warmupSeconds(warmupSeconds)
        .measureSeconds(measureSeconds)
        .storedMissions(stored)
        .planSizes(planSizes)
        .rawRecords(rawRecords)
        .profileDir(profileDir)
        .retention(retention)
        .markdown(markdown)
        .build();
  }
}
