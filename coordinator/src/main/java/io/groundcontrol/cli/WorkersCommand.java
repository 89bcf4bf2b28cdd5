package io.groundcontrol.cli;

import io.groundcontrol.worker.api.Worker;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
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

  @Override
  public Integer call() throws InterruptedException {
    KafkaTarget target = cluster.connect();
    List<Worker> workers = open(target.bootstrapServers(), cluster, components, parallelism);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      workers.forEach(Worker::close);
      target.close();
      stopped.countDown();
    }, "groundcontrol-workers-shutdown"));
    System.out.println("Example workers for " + components + " on " + target.bootstrapServers() + ". Ctrl-C stops.");
    stopped.await();
    return 0;
  }

  static List<Worker> open(String bootstrapServers, ClusterOptions cluster, List<String> components, int parallelism) {
    List<Worker> workers = new ArrayList<>();
    for (String component : components) {
      workers.add(Worker.builder()
          .component(component)
          .bootstrapServers(bootstrapServers)
          .handler(ExampleHandlers.forComponent(component))
          .parallelism(parallelism)
          .topicNames(cluster.topics())
          .open());
    }
    return workers;
  }
}
