package io.groundcontrol.cli;

import io.groundcontrol.audit.TextTable;
import io.groundcontrol.client.LiveWorkers;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** `groundcontrol component ...`. */
@Command(
    name = "component",
    mixinStandardHelpOptions = true,
    description = "Components and their workers.",
    subcommands = {ComponentCommands.ListComponents.class})
final class ComponentCommands {
  private ComponentCommands() {}

  @Command(name = "list", mixinStandardHelpOptions = true,
      description = "Every component with an instruction topic, and its live workers: the members of its consumer "
          + "group. A worker that died counts until its session times out (6 s by default).")
  static final class ListComponents implements Callable<Integer> {
    @Mixin ClusterOptions cluster;

    @Override
    public Integer call() {
      try (KafkaTarget target = cluster.connect();
          LiveWorkers workers = new LiveWorkers(target.connection(), cluster.topics())) {
        Map<String, List<String>> live = workers.of(workers.components());
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("COMPONENT", "LIVE WORKERS", "WORKERS"));
        live.forEach((component, members) -> rows.add(List.of(
            component, Integer.toString(members.size()), members.isEmpty() ? "-" : String.join(", ", members))));
        TextTable.print(rows, System.out);
        return 0;
      }
    }
  }
}
