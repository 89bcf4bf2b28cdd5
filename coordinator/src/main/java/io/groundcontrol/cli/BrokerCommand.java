package io.groundcontrol.cli;

import io.groundcontrol.kafka.embedded.EmbeddedKafka;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** `groundcontrol broker`: only the embedded broker, in a process of its own, for `chaos` to kill and restart. */
@Command(
    name = "broker",
    hidden = true,
    mixinStandardHelpOptions = true,
    description = "Run only an embedded Kafka broker on a data dir until stopped; prints 'Kafka ready at HOST:PORT'.")
final class BrokerCommand implements Callable<Integer> {
  @Option(names = "--data-dir", required = true, description = "Where the broker keeps its data; reused if formatted.")
  Path dataDir;

  @Option(names = "--port", defaultValue = "0", description = "Client port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--partitions", defaultValue = "3", description = "Default partitions of new topics (default: ${DEFAULT-VALUE}).")
  int partitions;

  @Option(names = "--property", paramLabel = "KEY=VALUE", description = "A broker config over the embedded node's own. Repeatable.")
  Map<String, String> properties = new LinkedHashMap<>();

  @Override
  public Integer call() throws InterruptedException {
    EmbeddedKafka broker = EmbeddedKafka.builder().dataDir(dataDir).port(port).defaultPartitions(partitions)
        .brokerProperties(properties).build().start();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      broker.close();
      stopped.countDown();
    }, "groundcontrol-broker-shutdown"));
    System.out.println("Kafka ready at " + broker.bootstrapServers());
    stopped.await();
    return 0;
  }
}
