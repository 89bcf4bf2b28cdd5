package io.groundcontrol.bench;

import io.groundcontrol.client.KafkaConnection;
import io.groundcontrol.coordinator.CoordinatorConfig;
import io.groundcontrol.coordinator.CoordinatorTopics;
import io.groundcontrol.coordinator.CoordinatorTopology;
import io.groundcontrol.coordinator.MissionStore;
import io.groundcontrol.schema.ComponentSettings;
import io.groundcontrol.schema.Plan;
import io.groundcontrol.schema.wire.TopicNames;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.apache.avro.specific.SpecificRecord;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * One benchmark run: every selected scenario in turn on one broker, each on a fresh installation,
 * then the table and the {@code RESULT} line. Scenarios never overlap, since they share two cores.
 */
public final class Benchmark {
  private static final String COMPONENT = "noop";
  /** Missions in flight for the scenarios that are about something other than concurrency. */
  private static final int STEADY_IN_FLIGHT = 64;
  /** The longest warm-up: a machine whose throughput never settles is measured anyway. */
  private static final Duration WARM_UP_LIMIT = Duration.ofSeconds(90);
  private static final int WIDE_IN_FLIGHT = 4;
  /**
   * Stages that take time, as real ones do: reports arrive a few milliseconds apart and none answers
   * the instructions the last commit released, where in {@code linear3-n16} nearly all do; the
   * case a drained commit must not make slower.
   */
  private static final int WORKING_IN_FLIGHT = 16;
  private static final Duration WORKING_STAGE = Duration.ofMillis(50);
  private static final String WORKING_NAME = "work50-n" + WORKING_IN_FLIGHT;
  /** Missions in flight up to which a hand-off trace follows every one; see {@link #traceSampling}. */
  private static final int TRACED_IN_FLIGHT = 16;
  /** The capped scenario: more missions in flight than the cap lets run, so stages queue. */
  private static final int CAPPED_IN_FLIGHT = 256;
  private static final int CAP = 64;
  /**
   * The serial capped scenario: a cap of one and a few missions queued behind it, so the thread is
   * mostly idle and every hand-off is a request, a commit, a grant and another commit in a row.
   */
  private static final int SERIAL_IN_FLIGHT = 4;
  static final String SERIAL_NAME = "capped1-n" + SERIAL_IN_FLIGHT;
  /** In-flight counts of the cap-cost pairs: a capped and an uncapped run of one plan each. */
  static final List<Integer> CAP_COST_IN_FLIGHT = List.of(1, 64);
  /** A cap no cap-cost pair reaches, so the capped runs measure the admission hops, never a wait for a slot. */
  private static final int LOOSE_CAP = 10_000;
  /** Other processes' CPU above which a measurement is taken again: the machine was not ours. */
  private static final double BUSY_CORES = 0.5;

  private final BenchSettings settings;
  private final PrintStream out;
  private final Profiler profiler;
  private final String runId = UUID.randomUUID().toString().substring(0, 6);
  private final List<Measurement> results = new ArrayList<>();
  private final List<Breakdown> breakdowns = new ArrayList<>();
  private final long begin = System.nanoTime();
  private KafkaConnection bootstrap;

  Benchmark(BenchSettings settings, PrintStream out) {
    this.settings = settings;
    this.out = out;
    this.profiler = Profiler.to(settings.profileDir());
  }

  /** Runs every selected scenario and prints the results; returns the results in run order. */
  List<Measurement> run() throws InterruptedException {
    try (BenchBroker broker = BenchBroker.start(settings.broker(), settings.partitions())) {
      bootstrap = broker.connection();
      out.printf(Locale.ROOT, "groundcontrol bench%s: %d cores, max heap %d MiB, load average %.2f; broker: %s; "
              + "coordinator: %s, %d partitions; workers: parallelism %d; warm-up %d s, window %d s per scenario%n",
          settings.quick() ? " --quick" : "", Runtime.getRuntime().availableProcessors(),
          Runtime.getRuntime().maxMemory() >> 20, StreamsProbe.loadAverage(), broker.describe(),
          settings.describeCoordinator(), settings.partitions(), settings.parallelism(),
          settings.warmup().toSeconds(), settings.measure().toSeconds());
      warmUp();
      if (settings.runs("floor") || settings.runs("linear3-n1")) {
        progress("floor: exactly-once ping-pong through a bare Kafka Streams processor");
        PingPongFloor.Result floor = PingPongFloor.run(settings, bootstrap, prefix("floor"));
        breakdowns.add(floor.breakdown());
        record(floor.row());
      }
      for (int inFlight : BenchSettings.IN_FLIGHT) {
        String name = "linear3-n" + inFlight;
        if (settings.runs(name)) {
          record(closedLoop(name, "3-stage linear plan, " + inFlight + " in flight",
              BenchPlans.linear("linear3", 3, COMPONENT), inFlight, UnaryOperator.identity()));
        }
      }
      if (settings.runs(WORKING_NAME)) {
        record(closedLoop(settings, WORKING_NAME, "3-stage linear plan, each stage " + WORKING_STAGE.toMillis()
                + " ms of work, " + WORKING_IN_FLIGHT + " in flight",
            BenchPlans.linear("linear3", 3, COMPONENT), WORKING_IN_FLIGHT, UnaryOperator.identity(), WORKING_STAGE));
      }
      if (settings.runs("capped-n" + CAPPED_IN_FLIGHT)) {
        record(capped("capped-n" + CAPPED_IN_FLIGHT, CAP, CAPPED_IN_FLIGHT));
      }
      if (settings.runs(SERIAL_NAME)) {
        record(capped(SERIAL_NAME, 1, SERIAL_IN_FLIGHT));
      }
      for (int inFlight : CAP_COST_IN_FLIGHT) {
        if (settings.runs(CapCost.scenario(inFlight))) {
          capCost(inFlight);
        }
      }
      if (settings.runs("wide500")) {
        record(closedLoop("wide500-n" + WIDE_IN_FLIGHT, "plan root -> 500 -> sink, " + WIDE_IN_FLIGHT + " in flight",
            BenchPlans.wide("wide500", 500, COMPONENT), WIDE_IN_FLIGHT, UnaryOperator.identity()));
      }
      if (settings.runs(FanOutBenchmark.NAME)) {
        FanOutBenchmark.run(settings, bootstrap, prefix("fanout"), this::progress).forEach(this::record);
      }
      if (settings.runs("raw-baseline")) {
        progress("raw-baseline: producing " + settings.rawRecords() + " records");
        record(RawBaseline.run(settings, bootstrap, prefix("raw")));
      }
      if (settings.storedMissions().stream().anyMatch(n -> settings.runs("stored-" + count(n)))) {
        storedMissions();
      }
      int planSizeRounds = settings.quick() ? 1 : PlanSizes.ROUNDS;
      for (int round = 1; round <= planSizeRounds; round++) {
        for (int stages : settings.planSizes()) {
          if (settings.runs(PlanSizes.scenario(stages))) {
            planSize(stages, round, planSizeRounds);
          }
        }
      }
      sweep();
    }
    out.println();
    out.printf(Locale.ROOT, "Results (%s; %d s in all; load average now %.2f; machine shared by broker, coordinator, "
            + "workers and load generator):%n",
        settings.describeCoordinator(), elapsedSeconds(), StreamsProbe.loadAverage());
    ResultTable.print(results, out);
    if (!breakdowns.isEmpty()) {
      out.println();
      out.println("Where one hand-off's time goes (linear plans; the floor's \"coordinator\" is its bare processor,"
          + " its \"worker\" the pinger; the stream thread's shares are of the whole window):");
      out.print(Breakdown.table(breakdowns, false));
    }
    return results;
  }

  /** Hand-off breakdowns of the scenarios with a linear plan, and the floor's. */
  List<Breakdown> breakdowns() {
    return List.copyOf(breakdowns);
  }

  /**
   * JIT and broker warm-up, not recorded, until throughput stops rising: the first measured
   * scenarios would otherwise pay for it (on a slow 2-core machine a fixed 4 s left them at a
   * third of the throughput of the same plan measured a minute later).
   */
  private void warmUp() throws InterruptedException {
    boolean anyInstallation = settings.sweep() || settings.only().stream().anyMatch(o -> o.startsWith("sweep"))
        || settings.runs("wide500")
        || settings.storedMissions().stream().anyMatch(n -> settings.runs("stored-" + count(n)))
        || settings.planSizes().stream().anyMatch(stages -> settings.runs(PlanSizes.scenario(stages)))
        || BenchSettings.IN_FLIGHT.stream().anyMatch(n -> settings.runs("linear3-n" + n))
        || CAP_COST_IN_FLIGHT.stream().anyMatch(n -> settings.runs(CapCost.scenario(n)));
    if (!anyInstallation) {
      return;
    }
    Plan plan = BenchPlans.linear("linear3", 3, COMPONENT);
    try (Installation installation = Installation.start(settings, bootstrap, prefix("warmup"), List.of(plan),
        UnaryOperator.identity())) {
      installation.worker(COMPONENT, settings.parallelism(), new HandoffProbe(plan));
      installation.driver().closedLoop(plan.getName(), STEADY_IN_FLIGHT);
      WarmUp steady = new WarmUp(settings.warmup(), WARM_UP_LIMIT);
      String why = steady.untilSteady(installation.driver()::stagesFinished);
      installation.driver().stopLoop();
      progress("warm-up done: " + why);
    }
  }

  /**
   * Runs a closed-loop scenario; in the full run, runs it once more if other processes took more
   * than {@link #BUSY_CORES} of the machine meanwhile, and keeps the second measurement with a note.
   */
  private Measurement closedLoop(
      String name, String setup, Plan plan, int inFlight, UnaryOperator<CoordinatorConfig> tune)
      throws InterruptedException {
    return closedLoop(settings, name, setup, plan, inFlight, tune, Duration.ZERO);
  }

  private Measurement closedLoop(
      BenchSettings run, String name, String setup, Plan plan, int inFlight, UnaryOperator<CoordinatorConfig> tune)
      throws InterruptedException {
    return closedLoop(run, name, setup, plan, inFlight, tune, Duration.ZERO);
  }

  /** {@code work}: how long each stage's handler takes; zero for a no-op. */
  private Measurement closedLoop(BenchSettings run, String name, String setup, Plan plan, int inFlight,
      UnaryOperator<CoordinatorConfig> tune, Duration work) throws InterruptedException {
    Measurement first = closedLoopOnce(run, name, setup, plan, inFlight, tune, work);
    if (settings.quick() || !(first.otherCores() > BUSY_CORES)) {
      return first;
    }
    progress(String.format(Locale.ROOT, "%s: other processes took %.2f cores; running it again", name,
        first.otherCores()));
    return closedLoopOnce(run, name, setup, plan, inFlight, tune, work).withNote(String.format(Locale.ROOT,
        "second run: other processes took %.2f cores during the first (%s completions/s, p99 %s ms)",
        first.otherCores(), ResultTable.whole(first.completionsPerS()), ResultTable.millis(first.handoffMillis(99))));
  }

  private Measurement closedLoopOnce(BenchSettings run, String name, String setup, Plan plan, int inFlight,
      UnaryOperator<CoordinatorConfig> tune, Duration work) throws InterruptedException {
    // Where a hand-off's time goes, idle (one in flight) and under load; the probes follow one
    // stage in flight per mission, so linear plans only.
    boolean traced = BenchPlans.isLinear(plan);
    TopicNames topics = new TopicNames(prefix(name));
    HandoffTrace trace = traced
        ? new HandoffTrace(topics.stageReports(), topics.instructions(COMPONENT)::equals, traceSampling(inFlight)).start()
        : null;
    try (Installation installation = Installation.start(run, bootstrap, prefix(name), List.of(plan), List.of(), tune, traced)) {
      HandoffProbe probe = new HandoffProbe(work, plan);
      installation.worker(COMPONENT, settings.parallelism(), probe);
      installation.driver().closedLoop(plan.getName(), inFlight);
      return window(name, setup, installation, probe, trace);
    } finally {
      if (trace != null) {
        trace.stop();
      }
    }
  }

  /**
   * How many missions in flight there are for each one a trace follows: every one up to
   * {@link #TRACED_IN_FLIGHT}, about that many beyond it, enough for a breakdown's percentiles at a
   * fraction of the probes' cost on the stream thread.
   */
  static int traceSampling(int inFlight) {
    return Math.max(1, inFlight / TRACED_IN_FLIGHT);
  }

  /**
   * The path through the admission sub-topology: the same 3-stage plan on a component capped at
   * {@code cap}, {@code inFlight} missions in flight, more than the cap, so every stage queues for a
   * slot and pays the two extra hops (request, grant). Compare {@code capped-n256} with
   * {@code linear3-n256}; in {@link #SERIAL_NAME} a completion is one hand-off through the queue.
   */
  private Measurement capped(String name, int cap, int inFlight) throws InterruptedException {
    Plan plan = BenchPlans.linear("capped3", 3, "capped");
    try (Installation installation = Installation.start(settings, bootstrap, prefix(name), List.of(plan),
        List.of(new ComponentSettings("capped", cap, Map.of())), UnaryOperator.identity())) {
      HandoffProbe probe = new HandoffProbe(plan);
      installation.worker("capped", settings.parallelism(), probe);
      installation.driver().closedLoop(plan.getName(), inFlight);
      return window(name, "3-stage linear, component capped at " + cap + ", " + inFlight + " in flight",
          installation, probe);
    }
  }

  /**
   * What the admission hops cost a hand-off, with the cap never reached: one installation, two
   * 3-stage linear plans alike but for their component, one uncapped and one capped at
   * {@link #LOOSE_CAP}; each runs {@code inFlight} missions in its own window, the uncapped first,
   * then the capped, back to back, so both see the same coordinator, broker and machine load; the
   * pair {@link CapCost#ROUNDS} times.
   */
  private void capCost(int inFlight) throws InterruptedException {
    String name = CapCost.scenario(inFlight);
    Plan free = BenchPlans.linear("free3", 3, COMPONENT);
    Plan capped = BenchPlans.linear("capped3", 3, "capped");
    try (Installation installation = Installation.start(settings, bootstrap, prefix(name), List.of(free, capped),
        List.of(new ComponentSettings("capped", LOOSE_CAP, Map.of())), UnaryOperator.identity())) {
      HandoffProbe freeProbe = new HandoffProbe(free);
      HandoffProbe cappedProbe = new HandoffProbe(capped);
      installation.worker(COMPONENT, settings.parallelism(), freeProbe);
      installation.worker("capped", settings.parallelism(), cappedProbe);
      for (int round = 1; round <= CapCost.ROUNDS; round++) {
        String which = ", round " + round + " of " + CapCost.ROUNDS;
        installation.driver().closedLoop(free.getName(), inFlight);
        record(withLoad(window(CapCost.uncapped(inFlight, round), "3-stage linear, uncapped, " + inFlight
            + " in flight" + which, installation, freeProbe)));
        installation.driver().closedLoop(capped.getName(), inFlight);
        record(withLoad(window(CapCost.capped(inFlight, round), "3-stage linear, capped at " + LOOSE_CAP
            + " (never reached), " + inFlight + " in flight" + which, installation, cappedProbe)));
      }
    }
  }

  /** Notes the machine's load average at the end of the window: the pairs are read side by side, on a shared machine. */
  private static Measurement withLoad(Measurement measurement) {
    return measurement.withNote(String.format(Locale.ROOT, "load average %.2f", StreamsProbe.loadAverage()));
  }

  /**
   * Lets the scenario warm up, measures it for the window, then stops the loop and waits for its
   * missions in flight: those that do not end within {@link LoopMissions#drainLimit} count as failed.
   */
  private Measurement window(String name, String setup, Installation installation, HandoffProbe probe)
      throws InterruptedException {
    return window(name, setup, installation, probe, null);
  }

  /**
   * As above, with the scenario's hand-off {@code trace} (null for none): reset when the window
   * starts, after the warm-up, and its breakdown taken when the window ends, before the loop stops
   * and the profile is written, so that its shares are of the window alone.
   */
  private Measurement window(String name, String setup, Installation installation, HandoffProbe probe, HandoffTrace trace)
      throws InterruptedException {
    MissionDriver driver = installation.driver();
    Thread.sleep(settings.warmup().toMillis());
    driver.checkHealthy();
    Profiler.Session session = profiler == null ? null : profiler.start(name);
    Map<TopicPartition, Long> inputsBefore = installation.inputMix().mark();
    StreamsProbe.Snapshot first = installation.probe().snapshot();
    long finishedBefore = driver.stagesFinished();
    long failuresBefore = driver.missionsFailed() + driver.rejections();
    probe.reset();
    if (trace != null) {
      trace.reset();
    }
    driver.reportToLog();
    driver.loopMissionMillis();
    Thread.sleep(settings.measure().toMillis());
    Histogram logged = driver.reportToLog();
    StreamsProbe.Snapshot last = installation.probe().snapshot();
    Map<TopicPartition, Long> inputsAfter = installation.inputMix().mark();
    long finished = driver.stagesFinished() - finishedBefore;
    long failures = driver.missionsFailed() + driver.rejections() - failuresBefore;
    HandoffProbe.Handoffs handoffs = probe.interval();
    if (trace != null) {
      breakdowns.removeIf(b -> b.scenario().equals(name));
      breakdowns.add(trace.breakdown(name));
    }
    Histogram missionMillis = driver.loopMissionMillis();
    driver.stopLoop();
    driver.checkHealthy();
    double seconds = last.secondsSince(first);
    double processed = last.processed() - first.processed();
    String inputs = InputMix.perCompletion(installation.inputMix().count(inputsBefore, inputsAfter), finished,
        installation.coordinator().config().topics().prefix());
    String cpuPerCompletion = finished == 0 ? "" : String.format(Locale.ROOT, "CPU %.1f us/completion; %.3f commits/completion; ",
        (last.appCpuNanos() - first.appCpuNanos()) / 1000.0 / finished, (last.commits() - first.commits()) / finished);
    Measurement measurement = new Measurement(
        name,
        setup,
        seconds,
        finished / seconds,
        processed / seconds,
        processed == 0 ? Double.NaN : (last.appCpuNanos() - first.appCpuNanos()) / 1000.0 / processed,
        processed == 0 ? Double.NaN : (last.streamThreadAllocated() - first.streamThreadAllocated()) / processed,
        (last.processCpuNanos() - first.processCpuNanos()) / 1e9 / seconds,
        StreamsProbe.otherCores(first, last),
        handoffs.micros().getTotalCount() == 0 ? null : handoffs.micros(),
        handoffs.stampMillis().getTotalCount() == 0 ? null : handoffs.stampMillis(),
        failures,
        (logged.getTotalCount() == 0 ? "" : String.format(Locale.ROOT, "report->event in log p50/p99 %d/%d ms; ",
            logged.getValueAtPercentile(50), logged.getValueAtPercentile(99))) + cpuPerCompletion + inputs);
    if (session != null) {
      session.stopAndReport(installation.coordinator().config().applicationId(), out);
    }
    Duration drain = LoopMissions.drainLimit(missionMillis);
    int unended = driver.awaitLoopEnded(drain);
    return unended == 0 ? measurement : measurement.withUnended(unended, drain);
  }

  /**
   * Throughput and store size as the store grows. Missions of a plan whose component has no
   * worker are started through the coordinator like any other and stay RUNNING, so the store holds
   * exactly what it would in production; then a closed loop runs a plan that does have workers.
   */
  private void storedMissions() throws InterruptedException {
    Plan plan = BenchPlans.linear("linear3", 3, COMPONENT);
    Plan parked = BenchPlans.linear("parked3", 3, "parked");
    try (Installation installation = Installation.start(settings, bootstrap, prefix("stored"), List.of(plan, parked),
        UnaryOperator.identity())) {
      HandoffProbe probe = new HandoffProbe(plan);
      installation.worker(COMPONENT, settings.parallelism(), probe);
      int stored = 0;
      for (int target : settings.storedMissions()) {
        String name = "stored-" + count(target);
        long populating = System.nanoTime();
        String sample = populate(installation, parked.getName(), target - stored);
        double populateSeconds = (System.nanoTime() - populating) / 1e9;
        progress(String.format(Locale.ROOT, "%s: started %,d parked missions in %.1f s (%,.0f starts/s)",
            name, target - stored, populateSeconds, (target - stored) / populateSeconds));
        stored = target;
        installation.driver().closedLoop(plan.getName(), STEADY_IN_FLIGHT);
        Measurement measured = window(name, count(target) + " parked missions stored, 3-stage linear, "
            + STEADY_IN_FLIGHT + " in flight", installation, probe);
        // Ended missions stay in the store, so it holds every mission ever started here.
        long missions = installation.driver().started();
        StreamsProbe.StoreSize size = installation.missionStore();
        int valueBytes = storedValueBytes(installation, sample);
        record(measured.withNote(String.format(Locale.ROOT,
            "store: %,d missions, %,d MB in RocksDB (SST+memtable), %,d B/mission; value %,d B/parked mission",
            missions, size.bytes() >> 20, size.bytes() / Math.max(1, missions), valueBytes)));
        Thread.sleep(500);
      }
    }
  }

  /** Starts {@code count} missions of a plan without workers and waits until all are in the log; returns one id. */
  private String populate(Installation installation, String plan, int count) throws InterruptedException {
    MissionDriver driver = installation.driver();
    long target = driver.missionsStartedSeen() + count;
    String sample = null;
    int batch = 10_000;
    for (int sent = 0; sent < count; sent += batch) {
      String first = driver.startMany(plan, Math.min(batch, count - sent));
      sample = sample == null ? first : sample;
    }
    awaitStarted(driver, target);
    return sample;
  }

  /** Waits until the log holds {@code target} MissionStarted events in all. */
  private void awaitStarted(MissionDriver driver, long target) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(30);
    long lastReport = System.nanoTime();
    while (driver.missionsStartedSeen() < target) {
      driver.checkHealthy();
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("Only " + driver.missionsStartedSeen() + " of " + target
            + " missions started within 30 minutes");
      }
      if (System.nanoTime() - lastReport > TimeUnit.SECONDS.toNanos(15)) {
        progress(String.format(Locale.ROOT, "  ... %,d of %,d missions started", driver.missionsStartedSeen(), target));
        lastReport = System.nanoTime();
      }
      Thread.sleep(20);
    }
  }

  /** Per-transition cost against plan size: a linear plan, so every transition has fan-in 1. */
  private void planSize(int stages, int round, int rounds) throws InterruptedException {
    String name = PlanSizes.row(stages, round);
    Plan plan = BenchPlans.linear("linear" + stages, stages, COMPONENT);
    try (Installation installation = Installation.start(settings, bootstrap, prefix(name), List.of(plan),
        UnaryOperator.identity())) {
      HandoffProbe probe = new HandoffProbe(plan);
      installation.worker(COMPONENT, settings.parallelism(), probe);
      long begin = System.nanoTime();
      String sample = installation.driver().closedLoop(plan.getName(), STEADY_IN_FLIGHT);
      // A start writes the mission's every stage: measure it apart, so the window holds transitions.
      awaitStarted(installation.driver(), STEADY_IN_FLIGHT);
      double startMillis = (System.nanoTime() - begin) / 1e6;
      Measurement measured = window(name, stages + "-stage linear plan, " + STEADY_IN_FLIGHT + " in flight"
          + (rounds == 1 ? "" : ", round " + round + " of " + rounds), installation, probe);
      record(measured.withNote(String.format(Locale.ROOT, "first %d starts took %,.0f ms (%,.1f ms each); stored value %,d B/mission",
          STEADY_IN_FLIGHT, startMillis, startMillis / STEADY_IN_FLIGHT, storedValueBytes(installation, sample))));
    }
  }

  /**
   * The settings the defaults are chosen from: guarantee, commit interval, producer linger, Kafka
   * Streams' poll time, the consumer's fetch wait and the partition count, each at 1 and at 64
   * missions in flight. Linger and poll time follow the commit interval unless a variant sets them;
   * {@code linger0} and {@code poll100} are the values before they did.
   */
  private void sweep() throws InterruptedException {
    record Variant(String name, boolean exactlyOnce, long commitMs, Map<String, String> overrides, int partitions) {
      Variant(String name, boolean exactlyOnce, long commitMs, Map<String, String> overrides) {
        this(name, exactlyOnce, commitMs, overrides, 0);
      }
    }
    List<Variant> variants = List.of(
        new Variant("eos-c1", true, 1, Map.of()),
        new Variant("eos-c5", true, 5, Map.of()),
        new Variant("eos-c20", true, 20, Map.of()),
        new Variant("eos-c100", true, 100, Map.of()),
        new Variant("alos-c5", false, 5, Map.of()),
        new Variant("alos-c20", false, 20, Map.of()),
        new Variant("alos-c100", false, 100, Map.of()),
        new Variant("eos-c20-linger0", true, 20, Map.of(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), "0")),
        new Variant("eos-c20-poll100", true, 20, Map.of(StreamsConfig.POLL_MS_CONFIG, "100")),
        new Variant("eos-c20-fetchwait500", true, 20,
            Map.of(StreamsConfig.consumerPrefix(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG), "500")),
        new Variant("eos-c20-nodrain", true, 20, Map.of(CoordinatorConfig.COMMIT_WHEN_DRAINED_CONFIG, "false")),
        new Variant("eos-c20-backoff100", true, 20,
            Map.of(StreamsConfig.producerPrefix(ProducerConfig.RETRY_BACKOFF_MS_CONFIG), "100")),
        new Variant("eos-c20-p1", true, 20, Map.of(), 1),
        new Variant("alos-c20-p1", false, 20, Map.of(), 1));
    Plan plan = BenchPlans.linear("linear3", 3, COMPONENT);
    for (Variant variant : variants) {
      for (int inFlight : List.of(1, STEADY_IN_FLIGHT)) {
        String name = "sweep-" + variant.name() + "-n" + inFlight;
        boolean selected = settings.only().isEmpty() ? settings.sweep() : settings.runs(name);
        if (!selected) {
          continue;
        }
        UnaryOperator<CoordinatorConfig> tune = config -> {
          Map<String, String> overrides = new HashMap<>(config.overrides());
          overrides.putAll(variant.overrides());
          return new CoordinatorConfig(config.bootstrapServers(), config.applicationId(), config.topics(),
              config.stateDir(), variant.exactlyOnce(), variant.commitMs(), config.streamThreads(), overrides,
              config.clientSettings(), config.limits());
        };
        BenchSettings run = variant.partitions() == 0 ? settings : settings.withPartitions(variant.partitions());
        record(closedLoop(run, name, (variant.exactlyOnce() ? "exactly_once_v2" : "at_least_once") + ", commit "
            + variant.commitMs() + " ms" + (variant.overrides().isEmpty() ? "" : ", " + variant.overrides())
            + ", " + run.partitions() + " partitions, " + inFlight + " in flight", plan, inFlight, tune));
      }
    }
  }

  private static int storedValueBytes(Installation installation, String missionId) {
    if (missionId == null) {
      return 0;
    }
    ReadOnlyKeyValueStore<String, SpecificRecord> store = installation.coordinator().streams().store(
        StoreQueryParameters.fromNameAndType(CoordinatorTopology.MISSION_STORE, QueryableStoreTypes.keyValueStore()));
    return MissionStore.storedBytes(store, missionId);
  }

  private void record(Measurement measurement) {
    results.add(measurement);
    progress(String.format(Locale.ROOT,
        "%s: %s completions/s, %s records/s, hand-off p50 %s p99 %s ms (%,d hand-offs), %s us CPU/record, "
            + "other processes %.2f cores%s",
        measurement.scenario(), ResultTable.whole(measurement.completionsPerS()),
        ResultTable.whole(measurement.recordsPerS()), ResultTable.millis(measurement.handoffMillis(50)),
        ResultTable.millis(measurement.handoffMillis(99)), measurement.handoffCount(),
        ResultTable.oneDecimal(measurement.cpuMicrosPerRecord()), measurement.otherCores(),
        measurement.failures() == 0 ? "" : ", " + measurement.failures() + " FAILED, rejected or unended missions"));
  }

  private void progress(String line) {
    out.printf(Locale.ROOT, "[%4d s] %s%n", elapsedSeconds(), line);
  }

  private long elapsedSeconds() {
    return Duration.ofNanos(System.nanoTime() - begin).toSeconds();
  }

  /** A topic prefix and application id unique to this run and scenario. */
  private String prefix(String scenario) {
    return "bench-" + runId + "-" + scenario;
  }

  static String count(long n) {
    if (n >= 1_000_000 && n % 1_000_000 == 0) {
      return n / 1_000_000 + "M";
    }
    return n >= 1_000 && n % 1_000 == 0 ? n / 1_000 + "k" : Long.toString(n);
  }
}
