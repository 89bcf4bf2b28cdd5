package io.groundcontrol.cli;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** `groundcontrol dev`: a local broker and coordinator that run until stopped. */
@Command(
    name = "dev",
    mixinStandardHelpOptions = true,
    description = "Run an embedded Kafka broker and the coordinator on the data dir until stopped (Ctrl-C). "
        + "Prints the bootstrap address to point workers at.")
final class DevCommand implements Callable<Integer> {
  @Mixin ClusterOptions cluster;

  @Option(names = "--port", defaultValue = "9092", description = "Broker port; a free one if taken (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--partitions", defaultValue = "3", description = "Partitions of the mission topics (default: ${DEFAULT-VALUE}).")
  int partitions;

  @Option(names = "--api-port", defaultValue = "8080",
      description = "Port of the HTTP API; a free one if taken (default: ${DEFAULT-VALUE}).")
  int apiPort;

  @Override
  public Integer call() throws InterruptedException {
    LocalStack stack = LocalStack.start(cluster.dataDir, port, partitions, cluster.topics(), apiPort, "dev");
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      stack.close();
      stopped.countDown();
    }, "groundcontrol-dev-shutdown"));
    System.out.println("Groundcontrol dev is running on data dir " + cluster.dataDir.toAbsolutePath());
    System.out.println("Bootstrap servers: " + stack.bootstrapServers());
    System.out.println("HTTP API: " + stack.apiUrl() + "  (OpenAPI: " + stack.apiUrl() + "/openapi.json)");
    System.out.println("Web UI: " + io.groundcontrol.ui.WebUi.urlBeside(stack.apiUrl()) + "  (sign in with the API key)");
    System.out.println("API key (admin, kept in " + cluster.dataDir.resolve("api-key") + "): " + stack.apiKey());
    System.out.println("Point workers there; run other commands with the same --data-dir. Ctrl-C stops.");
    stopped.await();
    return 0;
  }
}
