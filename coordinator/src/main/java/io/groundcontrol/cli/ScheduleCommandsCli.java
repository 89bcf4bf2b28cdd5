package io.groundcontrol.cli;

import io.groundcontrol.client.CompactedTopic;
import io.groundcontrol.client.SchedulePublisher;
import io.groundcontrol.client.WriteWait;
import io.groundcontrol.mission.MissionIds;
import io.groundcontrol.schedule.PlanParamsCheck;
import io.groundcontrol.schedule.ScheduleFile;
import io.groundcontrol.schedule.ScheduleFileException;
import io.groundcontrol.schema.Actor;
import io.groundcontrol.schema.PauseSchedule;
import io.groundcontrol.schema.Plan;
import io.groundcontrol.schema.ResumeSchedule;
import io.groundcontrol.schema.ScheduleCommandRejected;
import io.groundcontrol.schema.ScheduleEvent;
import io.groundcontrol.schema.TriggerSchedule;
import io.groundcontrol.schema.wire.AvroSerde;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** `groundcontrol schedule ...`. */
@Command(
    name = "schedule",
    mixinStandardHelpOptions = true,
    description = "Schedules and event triggers from a schedules file; pause, resume, fire now.",
    subcommands = {
      ScheduleCommandsCli.Validate.class,
      ScheduleCommandsCli.Apply.class,
      ScheduleList.class,
      ScheduleCommandsCli.Pause.class,
      ScheduleCommandsCli.Resume.class,
      ScheduleCommandsCli.Trigger.class
    })
final class ScheduleCommandsCli {
  private ScheduleCommandsCli() {}

  /** Loads a schedules file, printing every problem and returning null if it is invalid. */
  static ScheduleFile load(Path file) {
    try {
      return ScheduleFile.load(file);
    } catch (ScheduleFileException e) {
      e.problems().forEach(System.err::println);
      return null;
    } catch (IOException e) {
      System.err.println(file + ": cannot read: " + FileProblems.describe(e));
      return null;
    }
  }

  /**
   * Prints every start whose params its plan in {@code plans} would reject, and returns whether there
   * was none; prints a warning for each schedule fired by hand only that must be given params;
   * {@code unchecked} gets the plans it did not know.
   */
  private static boolean paramsAccepted(ScheduleFile read, Path file, Map<String, Plan> plans, Set<String> unchecked) {
    PlanParamsCheck.Result checked = PlanParamsCheck.check(read, file.toString(), plans, Instant.now());
    checked.problems().forEach(System.err::println);
    checked.warnings().forEach(warning -> System.err.println("warning: " + warning));
    unchecked.addAll(checked.unchecked());
    return checked.problems().isEmpty();
  }

  /** {@code 1 schedule}, {@code 3 schedules}. */
  static String counted(long count, String noun) {
    return count + " " + noun + (count == 1 ? "" : "s");
  }

  private static String plansNamed(Set<String> names) {
    return (names.size() == 1 ? "plan '" : "plans '") + String.join("', '", names) + "'";
  }

  @Command(name = "validate", mixinStandardHelpOptions = true,
      description = "Check a schedules file; prints every problem and exits 1 if there is any. The params of its "
          + "starts are checked against the plans given with --plan (`schedule apply` checks the applied plans).")
  static final class Validate implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", description = "Schedules file (YAML).")
    Path file;

    @Option(names = "--plan", paramLabel = "PLAN_FILE",
        description = "A plan file the schedules or triggers start: their params and a batch's keys_param must be "
            + "ones it declares. Repeatable.")
    List<Path> planFiles = new ArrayList<>();

    @Override
    public Integer call() {
      ScheduleFile read = load(file);
      Map<String, Plan> plans = new LinkedHashMap<>();
      for (Path planFile : planFiles) {
        Plan plan = PlanCommands.load(planFile);
        if (plan == null) {
          return 1;
        }
        plans.put(plan.getName(), plan);
      }
      Set<String> unchecked = new TreeSet<>();
      if (read == null || !paramsAccepted(read, file, plans, unchecked)) {
        return 1;
      }
      System.out.println(file + ": " + counted(read.schedules().size(), "schedule") + " and "
          + counted(read.triggers().size(), "trigger") + ", valid" + (unchecked.isEmpty() ? ""
              : "; their params are not checked against " + plansNamed(unchecked)
                  + ": give the plan files with --plan, or `schedule apply` checks the applied plans"));
      return 0;
    }
  }

  @Command(name = "apply", mixinStandardHelpOptions = true,
      description = "Make the cluster's schedules and triggers equal the file: new and changed ones are written, "
          + "ones the file no longer holds are removed (they stop).")
  static final class Apply implements Callable<Integer> {
    @Mixin ClusterOptions cluster;
    @Mixin PartitionsOption partitions;

    @Parameters(paramLabel = "FILE", description = "Schedules file (YAML).")
    Path file;

    @Override
    public Integer call() {
      ScheduleFile read = load(file);
      if (read == null) {
        return 1;
      }
      Optional<SchedulePublisher.Applied> accepted;
      Set<String> unchecked = new TreeSet<>();
      try (KafkaTarget target = cluster.connect();
          SchedulePublisher publisher = new SchedulePublisher(target.connection(), cluster.topics(),
              partitions.partitions)) {
        accepted = publisher.applyIf(read, plans -> paramsAccepted(read, file, plans, unchecked));
      }
      if (accepted.isEmpty()) {
        return 1;
      }
      SchedulePublisher.Applied applied = accepted.get();
      if (!unchecked.isEmpty()) {
        System.err.println("Note: " + plansNamed(unchecked) + " not applied yet, so the params that start "
            + (unchecked.size() == 1 ? "it" : "them") + " are not checked");
      }
      applied.written().forEach(name -> System.out.println("applied " + name));
      applied.removed().forEach(name -> System.out.println("removed " + name));
      System.out.println(applied.written().size() + " applied, " + applied.unchanged().size() + " unchanged, "
          + applied.removed().size() + " removed");
      return 0;
    }
  }

  /** Sends one command and waits for the schedule's answer in the schedule-events log. */
  private static int send(ClusterOptions cluster, String schedule, Object command, String asked) {
    Actor issuer = MissionCommandsCli.currentUser();
    Instant issuedAt = Instant.now();
    // A fire-now's mission id goes to stdout, for scripts, unless the fire is refused.
    Runnable printMissionId = () -> {
      if (command instanceof TriggerSchedule) {
        System.out.println(MissionIds.forManualFire(schedule, issuedAt));
      }
    };
    AtomicReference<ScheduleEvent> answer = new AtomicReference<>();
    try (KafkaTarget target = cluster.connect();
        SchedulePublisher publisher = new SchedulePublisher(target.connection(), cluster.topics(), 3)) {
      // One wait for Kafka, where the log ends and the send together.
      WriteWait.Write write = publisher.begin(schedule, command, issuedAt);
      try (CompactedTopic log = write.step(() -> new CompactedTopic(target.connection(),
          cluster.topics().scheduleEvents(), write.remaining()))) {
        Map<TopicPartition, Long> from = write.step(() -> log.endOffsets(write.remaining()));
        publisher.command(write, schedule, issuer, command, issuedAt);
        if (!target.coordinatorMayRun()) {
          printMissionId.run();
          System.err.println("No coordinator runs on " + cluster.dataDir + ": the command waits for `groundcontrol dev`.");
          return 0;
        }
        AvroSerde<ScheduleEvent> serde = AvroSerde.of(ScheduleEvent.class);
        log.follow(from, record -> {
          if (!schedule.equals(record.key()) || record.value() == null) {
            return false;
          }
          ScheduleEvent event = serde.deserializer().deserialize(record.topic(), record.value());
          if (!SchedulePublisher.isAnswer(event, schedule, issuer, issuedAt)) {
            return false;
          }
          answer.set(event);
          return true;
        }, Duration.ofSeconds(30));
      }
    }
    if (answer.get() == null) {
      printMissionId.run();
      System.err.println("No answer from a coordinator within 30s; the command is queued.");
      return 0;
    }
    if (answer.get().getEvent() instanceof ScheduleCommandRejected rejected) {
      System.err.println("Rejected: " + rejected.getReason());
      return 1;
    }
    printMissionId.run();
    System.err.println(asked + ": " + ScheduleList.describe(answer.get().getEvent()));
    return 0;
  }

  @Command(name = "pause", mixinStandardHelpOptions = true,
      description = "Stop a schedule's fires until it is resumed.")
  static final class Pause implements Callable<Integer> {
    @Mixin ClusterOptions cluster;

    @Parameters(paramLabel = "NAME", description = "Schedule name.")
    String name;

    @Option(names = "--reason", description = "Why; kept in the schedule's log.")
    String reason;

    @Override
    public Integer call() {
      return send(cluster, name, new PauseSchedule(reason), "paused " + name);
    }
  }

  @Command(name = "resume", mixinStandardHelpOptions = true,
      description = "Let a paused schedule fire again, from its next nominal time (fires while paused are not run).")
  static final class Resume implements Callable<Integer> {
    @Mixin ClusterOptions cluster;

    @Parameters(paramLabel = "NAME", description = "Schedule name.")
    String name;

    @Override
    public Integer call() {
      return send(cluster, name, new ResumeSchedule(), "resumed " + name);
    }
  }

  @Command(name = "trigger", mixinStandardHelpOptions = true,
      description = "Fire a schedule now, whatever its clock, pause and overlap say; prints the mission id.")
  static final class Trigger implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ClusterOptions cluster;

    @Parameters(paramLabel = "NAME", description = "Schedule name.")
    String name;

    @Option(names = {"-p", "--param"}, paramLabel = "NAME=VALUE",
        description = "Overrides one of the schedule's params; VALUE is JSON if it parses as JSON. Repeatable.")
    List<String> params = new ArrayList<>();

    @Option(names = "--priority", paramLabel = "N",
        description = "The mission's priority, as mission start --priority: queued stages of capped components of "
            + "missions with a higher priority get slots first (default: the schedule's priority).")
    Integer priority;

    @Override
    public Integer call() {
      return send(cluster, name, command(), "fired " + name);
    }

    /** The fire-now to send: the params given, and the priority if one is given. */
    TriggerSchedule command() {
      return new TriggerSchedule(ParamArgs.parse(params, spec), priority);
    }
  }
}
