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
 * {@code fanout-10k}: missions of {@code root -> fan -> sink} whose {@code fan} runs one chunk per
 * id, on one installation: after a warm-up mission of 1,000 chunks (not recorded), 10 missions of
 * 100 chunks one after the other, then one mission of 10,000 chunks. For each size: chunk
 * completions per second, and the coordinator's CPU and allocation per processed record, the cost
 * of one transition. The chunk counters keep that cost flat: a transition touches the fan-out
 * stage and one or two chunks, never the list of chunks. The small size runs 10 missions so that
 * both sizes are measured over thousands of records, not over a few hundred and the idle time
 * between them.
 */
final class FanOutBenchmark {
  static final String NAME = "fanout-10k";
  private static final String COMPONENT = "noop";
  private static final int MAX_PARALLEL = 64;
  private static final int WARM_UP_CHUNKS = 1_000;
  /** Chunks per mission, and how many missions of that size run one after the other. */
  private record Size(int chunks, int missions) {}

  private static final List<Size> SIZES = List.of(new Size(100, 10), new Size(10_000, 1));

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
      runMissions(installation.driver(), plan, WARM_UP_CHUNKS, 1);
      progress.accept("fanout: warm-up mission of " + WARM_UP_CHUNKS + " chunks done");
      for (Size size : SIZES) {
        measured.add(measure(installation, plan, size.chunks(), size.missions(), progress));
      }
    }
    return measured;
  }

  /** Runs {@code missions} missions of {@code chunks} chunks, one after the other. */
  private static void runMissions(MissionDriver driver, Plan plan, int chunks, int missions)
      throws InterruptedException {
    for (int i = 0; i < missions; i++) {
      long endedBefore = driver.missionsEnded();
      driver.startWith(plan.getName(), Map.of("count", Integer.toString(chunks)));
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(30);
      while (driver.missionsEnded() == endedBefore) {
        driver.checkHealthy();
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("The fan-out over " + chunks + " chunks did not end within 30 minutes");
        }
        Thread.sleep(5);
      }
    }
  }

  private static Measurement measure(
      Installation installation, Plan plan, int chunks, int missions, Consumer<String> progress)
      throws InterruptedException {
    MissionDriver driver = installation.driver();
    long failuresBefore = driver.missionsFailed() + driver.rejections();
    StreamsProbe.Snapshot first = installation.probe().snapshot();
    runMissions(driver, plan, chunks, missions);
    StreamsProbe.Snapshot last = installation.probe().snapshot();
    double seconds = last.secondsSince(first);
    double processed = last.processed() - first.processed();
    long failures = driver.missionsFailed() + driver.rejections() - failuresBefore;
    String name = chunks >= 1000 ? "fanout-" + chunks / 1000 + "k" : "fanout-" + chunks;
    Measurement measurement = new Measurement(
        name,
        missions + (missions == 1 ? " mission" : " missions one after the other") + ": root -> " + chunks
            + " chunks (max_parallel " + MAX_PARALLEL + ") -> sink",
        seconds,
        (double) chunks * missions / seconds,
        processed / seconds,
        processed == 0 ? Double.NaN : (last.appCpuNanos() - first.appCpuNanos()) / 1000.0 / processed,
        processed == 0 ? Double.NaN : (last.streamThreadAllocated() - first.streamThreadAllocated()) / processed,
        (last.processCpuNanos() - first.processCpuNanos()) / 1e9 / seconds,
        StreamsProbe.otherCores(first, last),
        null,
        null,
        failures,
        String.format(Locale.ROOT, "%,d chunks in %.1f s; %,.0f records processed", chunks * missions, seconds,
            processed));
    progress.accept(String.format(Locale.ROOT, "%s: %,.0f chunk completions/s, %.1f us CPU and %,.0f B allocated per record",
        name, measurement.completionsPerS(), measurement.cpuMicrosPerRecord(), measurement.allocBytesPerRecord()));
    return measurement;
  }
}
