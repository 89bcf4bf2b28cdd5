package io.groundcontrol.bench;

import io.groundcontrol.client.KafkaConnection;
import io.groundcontrol.coordinator.CoordinatorConfig;
import io.groundcontrol.mission.MissionLimits;
import io.groundcontrol.plan.Durations;
import io.groundcontrol.schema.wire.TopicNames;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * How one benchmark run goes.
 *
 * @param quick the short run: smaller stores and windows, no settings sweep
 * @param broker the Kafka the run uses
 * @param warmup how long each scenario runs before it is measured
 * @param measure how long each scenario is measured
 * @param partitions partitions of every mission-keyed topic
 * @param parallelism handler threads of each benchmark worker
 * @param exactlyOnce the coordinator's processing guarantee (and the raw baseline's)
 * @param commitIntervalMs the coordinator's commit interval
 * @param overrides further Kafka Streams properties of the coordinator
 * @param only scenarios to run, by name or dash-separated prefix; empty for all
 * @param sweep also run the settings sweep (guarantee, commit interval, linger, poll)
 * @param storedMissions stored-mission counts of the growth scenario
 * @param planSizes stage counts of the plan-size scenario
 * @param rawRecords records pre-produced for the raw baseline
 * @param profileDir where to write a JFR recording of each measured window, or null for none
 * @param retention the coordinator's retention of ended missions ({@link Duration#ZERO}: for ever)
 */
record BenchSettings(
    boolean quick,
    BrokerChoice broker,
    Duration warmup,
    Duration measure,
    int partitions,
    int parallelism,
    boolean exactlyOnce,
    long commitIntervalMs,
    Map<String, String> overrides,
    List<String> only,
    boolean sweep,
    List<Integer> storedMissions,
    List<Integer> planSizes,
    int rawRecords,
    Path profileDir,
    Duration retention) {

  /** Missions in flight of the linear throughput scenarios. */
  static final List<Integer> IN_FLIGHT = List.of(1, 16, 64, 256);

  BenchSettings {
    overrides = Map.copyOf(overrides);
    only = List.copyOf(only);
    storedMissions = List.copyOf(storedMissions);
    planSizes = List.copyOf(planSizes);
  }

  /** The same run with another partition count. */
  BenchSettings withPartitions(int count) {
    return new BenchSettings(quick, broker, warmup, measure, count, parallelism, exactlyOnce,
        commitIntervalMs, overrides, only, sweep, storedMissions, planSizes, rawRecords, profileDir, retention);
  }

  /**
   * Whether the scenario called {@code name} is selected: by its name, or by a prefix ending where a
   * dash follows ({@code stored} selects {@code stored-1k}; {@code linear3-n1} does not select
   * {@code linear3-n16}).
   */
  boolean runs(String name) {
    return only.isEmpty() || only.stream().anyMatch(f -> name.equals(f) || name.startsWith(f.endsWith("-") ? f : f + "-"));
  }

  /** The coordinator config of this run, before each installation sets its topics. */
  CoordinatorConfig coordinatorConfig(KafkaConnection kafka, Path stateDir) {
    return new CoordinatorConfig(
        kafka.bootstrapServers(), "groundcontrol-bench", TopicNames.DEFAULT, stateDir, exactlyOnce, commitIntervalMs, 1,
        overrides, kafka.settings(), MissionLimits.DEFAULTS.withRetention(retention));
  }

  /** How the run's coordinator settings read in the results. */
  String describeCoordinator() {
    return (exactlyOnce ? "exactly_once_v2" : "at_least_once") + ", commit.interval.ms=" + commitIntervalMs
        + (overrides.isEmpty() ? "" : ", " + overrides)
        + (retention.equals(MissionLimits.DEFAULT_RETENTION) ? "" : ", retention " + Durations.text(retention));
  }
}
