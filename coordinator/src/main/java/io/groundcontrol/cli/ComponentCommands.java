package io.groundcontrol.cli;

import io.groundcontrol.audit.TextTable;
import io.groundcontrol.client.ComponentBoard;
import io.groundcontrol.client.ComponentOverview;
import io.groundcontrol.client.ComponentPublisher;
import io.groundcontrol.client.LiveWorkers;
import io.groundcontrol.plan.ComponentFiles;
import io.groundcontrol.schema.ComponentSettings;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** `groundcontrol component ...`: caps and fair-share weights of components, and how their slots stand. */
@Command(
    name = "component",
    mixinStandardHelpOptions = true,
    description = "Validate and apply component settings (caps, plan weights); list how slots stand and the live workers.",
    subcommands = {ComponentCommands.Validate.class, ComponentCommands.Apply.class, ComponentCommands.ListCommand.class})
final class ComponentCommands {
  private ComponentCommands() {}

  /** Loads a settings file, printing every problem and returning null if it is invalid. */
  static List<ComponentSettings> load(Path file) {
    try {
      return ComponentFiles.load(file);
    } catch (ComponentFiles.InvalidComponentsException e) {
      e.problems().forEach(System.err::println);
      return null;
    } catch (IOException e) {
      System.err.println(file + ": cannot read: " + FileProblems.describe(e));
      return null;
    }
  }

  static String describe(ComponentSettings setting) {
    String cap = setting.getMaxRunning() == null ? "no cap" : "max_running " + setting.getMaxRunning();
    return setting.getComponent() + ": " + cap + (setting.getPlanWeights().isEmpty() ? ""
        : ", weights " + new java.util.TreeMap<>(setting.getPlanWeights()));
  }

  @Command(name = "validate", mixinStandardHelpOptions = true,
      description = "Check a component settings file; prints every problem and exits 1 if there is any.")
  static final class Validate implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", description = "Settings file, YAML or JSON, e.g. components.yaml.")
    Path file;

    @Override
    public Integer call() {
      List<ComponentSettings> settings = load(file);
      if (settings == null) {
        return 1;
      }
      System.out.println(file + ": " + settings.size() + " component" + (settings.size() == 1 ? "" : "s") + " valid");
      return 0;
    }
  }

  @Command(name = "apply", mixinStandardHelpOptions = true,
      description = "Validate a component settings file and apply it. Every coordinator instance uses a changed cap "
          + "within a second, without restart; lowering a cap never stops running work. Components not in the file "
          + "keep their settings.")
  static final class Apply implements Callable<Integer> {
    @Mixin ClusterOptions cluster;
    @Mixin PartitionsOption partitions;

    @Parameters(paramLabel = "FILE", description = "Settings file, YAML or JSON, e.g. components.yaml.")
    Path file;

    @Override
    public Integer call() {
      List<ComponentSettings> settings = load(file);
      if (settings == null) {
        return 1;
      }
      try (var target = cluster.connect();
          ComponentPublisher publisher = new ComponentPublisher(target.connection(), cluster.topics(), partitions.partitions)) {
        publisher.apply(settings);
      }
      settings.forEach(s -> System.out.println("Applied " + describe(s)));
      return 0;
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true,
      description = "Per component: cap, slots running, stages queued, age of the oldest queued stage, weights, and "
          + "its live workers: the members of its consumer group. A worker that died counts until its session times "
          + "out (6 s by default).")
  static final class ListCommand implements Callable<Integer> {
    @Mixin ClusterOptions cluster;

    @Override
    public Integer call() {
      ComponentBoard board;
      Map<String, List<String>> live;
      try (KafkaTarget target = cluster.connect();
          LiveWorkers workers = new LiveWorkers(target.connection(), cluster.topics())) {
        board = ComponentBoard.read(target.connection(), cluster.topics());
        live = workers.of(workers.components());
      }
      Instant now = Instant.now();
      List<ComponentOverview> components = ComponentOverview.of(board.settings(), board.statuses(), live);
      if (components.isEmpty()) {
        System.out.println("No components: no instruction topic and no component settings applied.");
        return 0;
      }
      List<List<String>> rows = new ArrayList<>();
      rows.add(List.of("COMPONENT", "CAP", "RUNNING", "QUEUED", "OLDEST QUEUED", "WEIGHTS", "LIVE WORKERS", "WORKERS"));
      for (ComponentOverview c : components) {
        rows.add(List.of(
            c.component(),
            c.maxRunning() == null ? "-" : c.maxRunning().toString(),
            Integer.toString(c.running()),
            Integer.toString(c.queued()),
            c.oldestQueuedAge(now).map(ComponentOverview::age).orElse("-"),
            c.weights().isEmpty() ? "-" : c.weights().entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(",")),
            Integer.toString(c.liveWorkers().size()),
            c.liveWorkers().isEmpty() ? "-" : String.join(", ", c.liveWorkers())));
      }
      TextTable.print(rows, System.out);
      return 0;
    }
  }
}
