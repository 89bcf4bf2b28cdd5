package io.groundcontrol.bench;

import io.groundcontrol.client.KafkaConnection;
import io.groundcontrol.coordinator.CoordinatorConfig;
import io.groundcontrol.mission.MissionLimits;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The benchmark as the CLI starts it. Unset options take the defaults of the quick or the full
 * run; everything is checked when the run is built.
 */
public final class BenchRun {
  private final BenchSettings settings;
  private final Path markdown;

  private BenchRun(BenchSettings settings, Path markdown) {
    this.settings = settings;
    this.markdown = markdown;
  }

  /** Starts building a quick run ({@code true}) or a full one. */
  public static Builder builder(boolean quick) {
    return new Builder(quick);
  }

  /**
   * Runs every selected scenario, prints the table and the targets, and ends with the {@code
   * RESULT} line.
   *
   * @return the exit code: 0, or 1 if a scenario saw failed missions, rejected inputs, or missions
   *     of its loop that did not end after its window
   */
  public int execute(PrintStream out) throws InterruptedException, IOException {
    Benchmark benchmark = new Benchmark(settings, out);
    List<Measurement> results = benchmark.run();
    Summary summary = new Summary(results);
    summary.printTargets(out);
    if (markdown != null) {
      List<Breakdown> breakdowns = benchmark.breakdowns();
      Files.writeString(markdown, ResultTable.markdown(results)
          + (breakdowns.isEmpty() ? "" : "\n" + Breakdown.table(breakdowns, true)));
      out.println("Markdown table written to " + markdown);
    }
    out.println(summary.resultLine());
    return results.stream().anyMatch(m -> m.failures() > 0) ? 1 : 0;
  }

  /** Options of a run; null leaves the default. */
  public static final class Builder {
    private final boolean quick;
    private KafkaConnection cluster;
    private List<String> only = List.of();
    private Boolean sweep;
    private boolean exactlyOnce = true;
    private Long commitIntervalMs;
    private Map<String, String> overrides = Map.of();
    private int partitions = 3;
    private int parallelism = 256;
    private Integer warmupSeconds;
    private Integer measureSeconds;
    private List<Integer> storedMissions;
    private List<Integer> planSizes;
    private Integer rawRecords;
    private Path profileDir;
    private Duration retention = MissionLimits.DEFAULT_RETENTION;
    private Path markdown;
    private boolean brokerProcess;
    private List<String> brokerJvmOptions = List.of();
    private Short transactionVersion;
    private Map<String, String> brokerProperties = Map.of();

    private Builder(boolean quick) {
      this.quick = quick;
    }

    /** An existing cluster to run against; null (the default) starts an embedded broker. */
    public Builder cluster(KafkaConnection value) {
      this.cluster = value;
      return this;
    }

    /**
     * Whether an embedded broker runs in a JVM of its own, as in production, instead of in the
     * benchmark's JVM (the default; on 2 cores the third JVM measured no better: BENCHMARKS.md).
     */
    public Builder brokerProcess(boolean value) {
      this.brokerProcess = value;
      return this;
    }

    /** JVM options of the broker's own JVM, when {@link #brokerProcess(boolean)}; none by default. */
    public Builder brokerJvmOptions(List<String> options) {
      this.brokerJvmOptions = List.copyOf(Objects.requireNonNull(options, "options"));
      return this;
    }

    /**
     * The {@code transaction.version} feature level (KIP-890) to set the embedded broker to before the
     * run: 2 is Kafka 4's default; 1 and 0 are the older transaction protocols. Null leaves the default.
     */
    public Builder transactionVersion(Short level) {
      this.transactionVersion = level;
      return this;
    }

    /** Broker configs of the embedded broker, over its own defaults; none by default. */
    public Builder brokerProperties(Map<String, String> properties) {
      this.brokerProperties = Map.copyOf(Objects.requireNonNull(properties, "properties"));
      return this;
    }

    public Builder only(List<String> scenarios) {
      this.only = List.copyOf(Objects.requireNonNull(scenarios, "scenarios"));
      return this;
    }

    public Builder sweep(Boolean value) {
      this.sweep = value;
      return this;
    }

    public Builder exactlyOnce(boolean value) {
      this.exactlyOnce = value;
      return this;
    }

    public Builder commitIntervalMs(Long value) {
      if (value != null && value < 1) {
        throw new IllegalArgumentException("commitIntervalMs must be at least 1, but was " + value);
      }
      this.commitIntervalMs = value;
      return this;
    }

    public Builder overrides(Map<String, String> value) {
      this.overrides = Map.copyOf(value);
      return this;
    }

    public Builder partitions(int value) {
      this.partitions = positive("partitions", value);
      return this;
    }

    public Builder parallelism(int value) {
      this.parallelism = positive("parallelism", value);
      return this;
    }

    public Builder warmupSeconds(Integer value) {
      this.warmupSeconds = value == null ? null : positive("warmupSeconds", value);
      return this;
    }

    public Builder measureSeconds(Integer value) {
      this.measureSeconds = value == null ? null : positive("measureSeconds", value);
      return this;
    }

    public Builder storedMissions(List<Integer> value) {
      this.storedMissions = ascending("storedMissions", value);
      return this;
    }

    public Builder planSizes(List<Integer> value) {
      this.planSizes = ascending("planSizes", value);
      return this;
    }

    public Builder rawRecords(Integer value) {
      this.rawRecords = value == null ? null : positive("rawRecords", value);
      return this;
    }

    public Builder profileDir(Path value) {
      this.profileDir = value;
      return this;
    }

    /** The coordinator's retention of ended missions ({@link Duration#ZERO}: for ever). */
    public Builder retention(Duration value) {
      this.retention = Objects.requireNonNull(value, "retention");
      return this;
    }

    public Builder markdown(Path value) {
      this.markdown = value;
      return this;
    }

    public BenchRun build() {
      BenchSettings settings = new BenchSettings(
          quick,
          new BrokerChoice(cluster, brokerProcess, brokerJvmOptions, transactionVersion, brokerProperties),
          Duration.ofSeconds(warmupSeconds != null ? warmupSeconds : quick ? 2 : 5),
          Duration.ofSeconds(measureSeconds != null ? measureSeconds : quick ? 3 : 15),
          partitions,
          parallelism,
          exactlyOnce,
          commitIntervalMs != null ? commitIntervalMs : CoordinatorConfig.DEFAULT_COMMIT_INTERVAL_MS,
          overrides,
          only,
          sweep != null ? sweep : !quick,
          storedMissions != null ? storedMissions : quick ? List.of(1_000, 10_000) : List.of(1_000, 100_000, 1_000_000),
          planSizes != null ? planSizes : List.of(10, 1_000, 10_000),
          rawRecords != null ? rawRecords : quick ? 200_000 : 1_000_000,
          profileDir,
          retention);
      return new BenchRun(settings, markdown);
    }

    private static int positive(String name, int value) {
      if (value < 1) {
        throw new IllegalArgumentException(name + " must be at least 1, but was " + value);
      }
      return value;
    }

    private static List<Integer> ascending(String name, List<Integer> values) {
      if (values == null) {
        return null;
      }
      for (int i = 0; i < values.size(); i++) {
        if (values.get(i) < 1 || (i > 0 && values.get(i) <= values.get(i - 1))) {
          throw new IllegalArgumentException(name + " must be positive and ascending, but was " + values);
        }
      }
      return List.copyOf(values);
    }
  }
}
