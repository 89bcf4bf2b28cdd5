package io.groundcontrol.cli;

import io.groundcontrol.client.KafkaConnection;
import io.groundcontrol.worker.api.Worker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** `groundcontrol workers`: the example workers, for trying Groundcontrol without writing one. */
@Command(
    name = "workers",
    mixinStandardHelpOptions = true,
    description = "Run example workers (built on the worker SDK) for the given components until stopped.")
final class WorkersCommand implements Callable<Integer> {
  @Mixin ClusterOptions cluster;

  @Option(names = "--component", required = true, description = "Component to serve. Repeatable.")
  List<String> components;

  @Option(names = "--parallelism", defaultValue = "4", description = "Concurrent stages per component (default: ${DEFAULT-VALUE}).")
  int parallelism;

  @Option(names = "--heartbeat-interval", defaultValue = "PT5S",
      description = "Heartbeat interval while a stage runs, ISO-8601 (default: ${DEFAULT-VALUE}).")
  Duration heartbeatInterval;

  @Option(names = "--started-report-delay",
      description = "Report a stage started only if it still runs after this long, ISO-8601; PT0S reports every start "
          + "at once (default: the heartbeat interval, at most 100 ms).")
  Duration startedReportDelay;

  @Option(names = "--failover-timeout", defaultValue = "PT6S",
      description = "How soon a dead worker's stages move to another worker: the consumer session timeout, ISO-8601; "
          + "at least PT6S on a broker with default settings (default: ${DEFAULT-VALUE}).")
  Duration failoverTimeout;

  @Option(names = "--chaos", description = "Misbehave on purpose: fail the first attempt of 'clean', hang the first of 'train'.")
  boolean chaos;

  @Override
  public Integer call() throws InterruptedException {
    KafkaTarget target = cluster.connect();
    List<Worker> workers = open(target.connection(), new Settings(cluster, parallelism, heartbeatInterval,
        startedReportDelay, failoverTimeout, chaos), components);
    CountDownLatch stopped = new CountDownLatch(1);
    AtomicBoolean stopping = new AtomicBoolean();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      stopping.set(true);
      workers.forEach(Worker::close);
      target.close();
      stopped.countDown();
    }, "groundcontrol-workers-shutdown"));
    System.out.println("Example workers for " + components + " on " + target.bootstrapServers() + ". Ctrl-C stops.");
    int exit = awaitStop(workers, stopped, stopping::get, Duration.ofSeconds(1));
    if (exit != 0) {
      target.close();
    }
    return exit;
  }

  /**
   * Waits until the shutdown hook has closed the workers (0), or until one stopped by itself (1,
   * the others closed): a worker stops by itself only when Kafka refuses it (credentials, ACLs), so
   * the command exits instead of idling. A worker the shutdown hook is closing (Ctrl-C, SIGTERM) did
   * not stop by itself, though it is no longer open before the hook is done.
   */
  static int awaitStop(List<Worker> workers, CountDownLatch stopped, BooleanSupplier stopping, Duration poll)
      throws InterruptedException {
    while (!stopped.await(poll.toMillis(), TimeUnit.MILLISECONDS)) {
      if (!stopping.getAsBoolean() && workers.stream().anyMatch(worker -> !worker.isOpen())) {
        System.err.println("error: a worker stopped (see the line above); stopping the others");
        workers.forEach(Worker::close);
        return 1;
      }
    }
    return 0;
  }

  /** How example workers are set up. */
  record Settings(
      ClusterOptions cluster, int parallelism, Duration heartbeatInterval, Duration startedReportDelay,
      Duration failoverTimeout, boolean chaos) {
    static Settings defaults(ClusterOptions cluster, boolean chaos) {
      return new Settings(cluster, 4, Duration.ofSeconds(1), null, Duration.ofSeconds(6), chaos);
    }
  }

  static List<Worker> open(KafkaConnection connection, Settings settings, List<String> components) {
    Map<String, Object> kafka = connection.clientConfig();
    List<Worker> workers = new ArrayList<>();
    for (String component : components) {
      var builder = Worker.builder()
          .component(component)
          .kafkaProperties(kafka)
          .handler(ExampleHandlers.forComponent(component, settings.chaos()))
          .parallelism(settings.parallelism())
          .topicNames(settings.cluster().topics())
          .heartbeatInterval(settings.heartbeatInterval())
          .failoverTimeout(settings.failoverTimeout());
      if (settings.startedReportDelay() != null) {
        builder.startedReportDelay(settings.startedReportDelay());
      }
      workers.add(builder.open());
    }
    return workers;
  }
}
