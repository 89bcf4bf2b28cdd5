package io.groundcontrol.cli;

import io.groundcontrol.client.KafkaConnection;
import io.groundcontrol.client.MissionCommands;
import io.groundcontrol.client.MissionLog;
import io.groundcontrol.client.PlanPublisher;
import io.groundcontrol.plan.PlanFiles;
import io.groundcontrol.schema.InputRejected;
import io.groundcontrol.schema.MissionEvent;
import io.groundcontrol.schema.MissionFinished;
import io.groundcontrol.schema.Plan;
import io.groundcontrol.schema.PlanStage;
import io.groundcontrol.ui.WebUi;
import io.groundcontrol.worker.api.Worker;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** `groundcontrol demo`: the whole system on one machine, one mission, every transition printed. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = "Start an embedded broker and the coordinator, apply an example plan (a diamond of 5 stages "
        + "over 2 components), run example workers, start a mission and print each transition. Exits 0 when the "
        + "mission finishes, 1 if it fails.")
final class DemoCommand implements Callable<Integer> {
  private static final String EXAMPLE = "examples/diamond.yaml";

  @Spec CommandSpec spec;
  @Mixin ClusterOptions cluster;

  @Option(names = "--plan", paramLabel = "FILE", description = "Plan to run instead of the built-in " + EXAMPLE + ".")
  Path planFile;

  @Option(names = {"-p", "--param"}, paramLabel = "NAME=VALUE", description = "A mission input. Repeatable.")
  List<String> params = new ArrayList<>();

  @Option(names = "--chaos", description = "Make workers misbehave: the first attempt of 'clean' fails and the "
      + "first attempt of 'train' hangs past its timeout. The plan's retries still finish the mission.")
  boolean chaos;

  @Option(names = "--timeout", defaultValue = "2m", converter = TimeoutConverter.class,
      description = "Longest the mission may take, such as 90s, 5m or PT5M (default: ${DEFAULT-VALUE}).")
  Duration timeout;

  @Option(names = "--keep", description = "Keep the broker, coordinator, API, web UI and workers running after the "
      + "mission ends, to look around in the web UI; Ctrl-C stops.")
  boolean keep;

  @Override
  public Integer call() {
    long begin = System.nanoTime();
    Plan plan = planFile == null ? builtInExample() : PlanCommands.load(planFile);
    if (plan == null) {
      return 1;
    }
    Optional<String> dev = DevInstance.running(cluster.dataDir);
    LocalStack stack = dev.isPresent() ? null : LocalStack.start(cluster.dataDir, 0, 3, cluster.topics(), "demo");
    KafkaConnection bootstrap = KafkaConnection.plaintext(bootstrapServers(dev, stack));
    System.out.printf("Kafka broker and coordinator ready on %s (%d ms)%n", bootstrap.bootstrapServers(), millisSince(begin));
    if (stack != null) {
      System.out.println("HTTP API: " + stack.apiUrl() + "  API key (admin): " + stack.apiKey());
      System.out.println("Web UI: " + WebUi.urlBeside(stack.apiUrl()) + "  (sign in with the API key)");
    }
    List<Worker> workers = List.of();
    CountDownLatch stopped = new CountDownLatch(1);
    CountDownLatch closed = new CountDownLatch(1);
    try (PlanPublisher publisher = new PlanPublisher(bootstrap, cluster.topics(), 3);
        MissionLog log = new MissionLog(bootstrap, cluster.topics());
        MissionCommands commands = new MissionCommands(bootstrap, cluster.topics(), MissionCommandsCli.currentUser(), Clock.systemUTC())) {
      publisher.apply(plan, planFile == null ? EXAMPLE : planFile.toString());
      System.out.printf("Applied plan '%s' version %s: %d stages%n", plan.getName(), plan.getVersion(), plan.getStages().size());
      workers = WorkersCommand.open(bootstrap, WorkersCommand.Settings.defaults(cluster, chaos), components(plan));
      System.out.println("Example workers running for " + components(plan) + (chaos ? ", with chaos" : ""));
      String missionId = MissionCommands.newMissionId(Clock.systemUTC());
      Map<TopicPartition, Long> from = log.endOffsets();
      long started = System.nanoTime();
      commands.start(missionId, plan.getName(), ParamArgs.parse(params, spec), List.of());
      System.out.println("Started mission " + missionId);
      MissionEvent last = follow(log, from, missionId);
      int outcome = summarize(last, missionId, started);
      if (keep) {
        keepRunning(stack, missionId, stopped, closed);
      }
      return outcome;
    } finally {
      workers.forEach(Worker::close);
      if (stack != null) {
        stack.close();
      }
      closed.countDown();
    }
  }

  /** The running {@code dev}'s broker if there is one (then {@code stack} is null), else {@code stack}'s. */
  static String bootstrapServers(Optional<String> dev, LocalStack stack) {
    return dev.orElseGet(() -> stack.bootstrapServers());
  }

  /** Waits for Ctrl-C; the shutdown hook lets the caller close everything before the JVM ends. */
  private static void keepRunning(LocalStack stack, String missionId, CountDownLatch stopped, CountDownLatch closed) {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      stopped.countDown();
      try {
        closed.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "groundcontrol-demo-shutdown"));
    if (stack != null) {
      System.out.println("Kept running (--keep). Web UI: " + WebUi.urlBeside(stack.apiUrl()) + "/missions/" + missionId
          + "  API key (admin): " + stack.apiKey());
    } else {
      System.out.println("Kept running (--keep); the web UI is served by the running dev.");
    }
    System.out.println(stack != null ? "Ctrl-C stops." : "Ctrl-C stops the workers (the dev goes on).");
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private MissionEvent follow(MissionLog log, Map<TopicPartition, Long> from, String missionId) {
    AtomicReference<MissionEvent> last = new AtomicReference<>();
    log.follow(from, event -> {
      if (!event.getMissionId().equals(missionId)) {
        return true;
      }
      System.out.println("  " + EventLines.describe(event));
      last.set(event);
      return !EventLines.isEnd(event) && !(event.getEvent() instanceof InputRejected && event.getSequence() == 0);
    }, MissionCommandsCli::warn, timeout);
    return last.get();
  }

  private int summarize(MissionEvent last, String missionId, long started) {
    if (last == null || !EventLines.isEnd(last)) {
      System.out.println("Mission " + missionId + " did not end within " + timeout);
      return 1;
    }
    System.out.printf("Mission %s ended after %d ms. Inspect it with: ./groundcontrol mission show %s%n",
        missionId, millisSince(started), missionId);
    return last.getEvent() instanceof MissionFinished ? 0 : 1;
  }

  private static List<String> components(Plan plan) {
    TreeSet<String> names = new TreeSet<>();
    for (PlanStage stage : plan.getStages()) {
      names.add(stage.getComponent());
    }
    return List.copyOf(names);
  }

  /** The demo plan, {@value #EXAMPLE}, as built into the jar. */
  static Plan builtInExample() {
    try (InputStream in = DemoCommand.class.getResourceAsStream("/" + EXAMPLE)) {
      if (in == null) {
        throw new IllegalStateException("The built-in " + EXAMPLE + " is missing from the jar");
      }
      return PlanFiles.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), EXAMPLE, PlanFiles.Format.YAML);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static long millisSince(long nanos) {
    return Duration.ofNanos(System.nanoTime() - nanos).toMillis();
  }
}
