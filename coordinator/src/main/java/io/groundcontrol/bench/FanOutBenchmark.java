package io.groundcontrol.bench;

import io.groundcontrol.client.KafkaConnection;
import io.groundcontrol.schema.Plan;
import io.groundcontrol.worker.api.StageResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * {@code fanout-10k}: one mission of {@code root -> fan -> sink} whose {@code fan} runs one chunk
 * per id, first over 100 ids, then over 10,000, on the same installation. For each: chunk
 * completions per second, and the coordinator's CPU and allocation per processed record, the cost
 * of one transition. The chunk counters keep that cost flat: a transition touches the fan-out
 * stage and one or two chunks, never the list of chunks.
 */
final class FanOutBenchmark {
  static final String NAME = "fanout-10k";
  private static final String COMPONENT = "noop";
  private static final int MAX_PARALLEL = 64;
  private static final List<Integer> CHUNKS = List.of(100, 10_000);

  private FanOutBenchmark() {}

  static List<Measurement> run(BenchSettings settings, KafkaConnection bootstrap, String prefix, Consumer<String> progress)
      throws InterruptedException {
    Plan plan = BenchPlans.fanOut("fanout", MAX_PARALLEL, COMPONENT);
    List<Measurement> measured = new ArrayList<>();
    try (Installation installation = Installation.start(settings, bootstrap, prefix, List.of(plan),
        UnaryOperator.identity())) {
      installation.worker(COMPONENT, settings.parallelism(), context -> {
        if (context.stage().equals("root")) {
          int count = Integer.parseInt(context.requireParam("count"));
          return StageResult.finished().output("ids",
              IntStream.range(0, count).mapToObj(Integer::toString).collect(Collectors.joining(",", "[", "]")));
        }
        return StageResult.finished().output("n", "1");
      });
      for (int chunks : CHUNKS) {
        measured.add(once(installation, plan, chunks, progress));
      }
    }
    return measured;
  }

  private static Measurement once(Installation installation, Plan plan, int chunks, Consumer<String> progress)
      throws InterruptedException {
    MissionDriver driver = installation.driver();
    long endedBefore = driver.missionsEnded();
    long failuresBefore = driver.missionsFailed() + driver.rejections();
    StreamsProbe.Snapshot first = installation.probe().snapshot();
    driver.startWith(plan.getName(), Map.of("count", Integer.toString(chunks)));
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(30);
    while (driver.missionsEnded() == endedBefore) {
      driver.checkHealthy();
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("The fan-out over " + chunks + " chunks did not end within 30 minutes");
      }
      Thread.sleep(20);
    }
    StreamsProbe.Snapshot last = installation.probe().snapshot();
    double seconds = last.secondsSince(first);
    double processed = last.processed() - first.processed();
    long failures = driver.missionsFailed() + driver.rejections() - failuresBefore;
    String name = chunks >= 1000 ? "fanout-" + chunks / 1000 + "k" : "fanout-" + chunks;
    Measurement measurement = new Measurement(
        name,
        "root -> " + chunks + " chunks (max_parallel " + MAX_PARALLEL + ") -> sink, one mission",
        seconds,
        chunks / seconds,
        processed / seconds,
        processed == 0 ? Double.NaN : (last.appCpuNanos() - first.appCpuNanos()) / 1000.0 / processed,
        processed == 0 ? Double.NaN : (last.streamThreadAllocated() - first.streamThreadAllocated()) / processed,
        (last.processCpuNanos() - first.processCpuNanos()) / 1e9 / seconds,
        StreamsProbe.otherCores(first, last),
        null,
        null,
        failures,
        String.format(Locale.ROOT, "chunk completions/s %,.0f; %,.0f records processed in %.1f s", chunks / seconds,
            processed, seconds));
    progress.accept(String.format(Locale.ROOT, "%s: %,.0f chunk completions/s, %.1f us CPU and %,.0f B allocated per record",
        name, measurement.completionsPerS(), measurement.cpuMicrosPerRecord(), measurement.allocBytesPerRecord()));
    return measurement;
  }
}
