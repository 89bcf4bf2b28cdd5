package io.groundcontrol.cli;

import io.groundcontrol.client.ApiClient;
import io.groundcontrol.client.ComponentBoard;
import io.groundcontrol.client.LiveWorkers;
import io.groundcontrol.client.MissionCommands;
import io.groundcontrol.client.MissionLog;
import io.groundcontrol.client.StageNotes;
import io.groundcontrol.client.WriteWait;
import io.groundcontrol.mission.Mission;
import io.groundcontrol.mission.MissionIds;
import io.groundcontrol.query.MissionDocument;
import io.groundcontrol.query.MissionFilter;
import io.groundcontrol.query.MissionPage;
import io.groundcontrol.query.MissionQueries;
import io.groundcontrol.schema.Actor;
import io.groundcontrol.schema.ActorKind;
import io.groundcontrol.schema.CancelMission;
import io.groundcontrol.schema.InputRejected;
import io.groundcontrol.schema.MissionEvent;
import io.groundcontrol.schema.MissionStatus;
import io.groundcontrol.schema.StageDispatched;
import io.groundcontrol.schema.StageQueued;
import io.groundcontrol.schema.StartDeduplicated;
import io.groundcontrol.schema.StartMission;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** `groundcontrol mission ...`. */
@Command(
    name = "mission",
    mixinStandardHelpOptions = true,
    description = "Start, inspect, cancel missions; retry, skip or fail their stages.",
    subcommands = {
      MissionCommandsCli.Start.class,
      MissionCommandsCli.Show.class,
      MissionCommandsCli.ListMissions.class,
      MissionCommandsCli.Cancel.class,
      StageCommandsCli.Retry.class,
      StageCommandsCli.Skip.class,
      StageCommandsCli.Fail.class
    })
final class MissionCommandsCli {
  private MissionCommandsCli() {}

  static Actor currentUser() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      host = null;
    }
    return new Actor(ActorKind.USER, System.getProperty("user.name", "unknown"), host);
  }

  /** Prints problems met while reading the log, without stopping. */
  static void warn(String problem) {
    System.err.println("warning: " + problem);
  }

  @Command(name = "start", mixinStandardHelpOptions = true,
      description = "Start a mission of the plan's latest version and print its id.")
  static final class Start implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ClusterOptions cluster;

    @Parameters(paramLabel = "PLAN", description = "Plan name.")
    String plan;

    @Option(names = {"-p", "--param"}, paramLabel = "NAME=VALUE",
        description = "A mission input; VALUE is JSON if it parses as JSON, else a string. Repeatable.")
    List<String> params = new ArrayList<>();

    @Option(names = "--exclude", paramLabel = "STAGE", description = "Leave out this stage and its downstream. Repeatable.")
    List<String> excluded = new ArrayList<>();

    @Option(names = "--start-from", paramLabel = "STAGE",
        description = "Run only this stage and its downstream; skip the rest. Repeatable.")
    List<String> startFrom = new ArrayList<>();

    @Option(names = "--no-reuse",
        description = "Run every stage, even those whose plan allows reusing a fresh result (reuse: {max_age: ...}).")
    boolean noReuse;

    @Option(names = "--priority", defaultValue = "0", paramLabel = "N",
        description = "Queued stages of capped components of missions with a higher priority get slots first "
            + "(default: ${DEFAULT-VALUE}).")
    int priority;

    @Option(names = "--id", description = "Mission id to use: 1-200 letters, digits or ._~:@+- (default: a new unique id).")
    String missionId;

    @Option(names = "--key", paramLabel = "KEY",
        description = "Idempotency key: the mission id is derived from plan and key, so the same key returns the "
            + "existing mission instead of starting another (the plan's on_duplicate decides).")
    String key;

    @Option(names = "--wait", description = "Follow the mission until it ends; exit 0 if it finished, 1 otherwise.")
    boolean waitForEnd;

    @Option(names = "--timeout", defaultValue = "10m", converter = TimeoutConverter.class,
        description = "Longest --wait, such as 90s, 5m or PT5M (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Override
    public Integer call() {
      Map<String, String> inputs = ParamArgs.parse(params, spec);
      if (missionId != null && key != null) {
        throw new ParameterException(spec.commandLine(), "Expected --id or --key, but got both");
      }
      if (key != null && key.isBlank()) {
        // An unset variable: every such start of the plan would be the first one.
        throw new ParameterException(spec.commandLine(), "Expected a non-blank idempotency key, but --key is blank");
      }
      if (missionId != null) {
        MissionIds.problem(missionId).ifPresent(problem -> {
          throw new ParameterException(spec.commandLine(), problem + " (--id)");
        });
      }
      String id = key != null ? MissionIds.forKey(plan, key)
          : missionId != null ? missionId : MissionCommands.newMissionId(Clock.systemUTC());
      try (KafkaTarget target = cluster.connect();
          MissionCommands commands = new MissionCommands(target.connection(), cluster.topics(), currentUser(), Clock.systemUTC())) {
        // One wait for Kafka, where the log ends and the send together.
        WriteWait.Write write = commands.begin(id);
        try (MissionLog log = write.step(() ->
            new MissionLog(target.connection(), cluster.topics(), write.remaining()))) {
          Map<TopicPartition, Long> from = write.step(() -> log.endOffsets(write.remaining()));
          commands.start(write, id, StartMission.newBuilder().setPlanName(plan).setParams(inputs)
              .setExcludedStages(excluded).setStartFrom(startFrom).setNoReuse(noReuse).setPriority(priority).build());
          if (!target.coordinatorMayRun()) {
            System.out.println(id);
            System.err.println("No coordinator runs on " + cluster.dataDir + ": the mission starts when `groundcontrol dev` does.");
            return 0;
          }
          return follow(log, from, id, waitForEnd ? timeout : Duration.ofSeconds(30));
        }
      }
    }

    /** Prints the id on stdout once the start is accepted or left queued, never for a rejected one. */
    private int follow(MissionLog log, Map<TopicPartition, Long> from, String id, Duration limit) {
      AtomicReference<MissionEvent> last = new AtomicReference<>();
      AtomicBoolean printed = new AtomicBoolean();
      boolean answered = log.follow(from, event -> {
        if (!event.getMissionId().equals(id)) {
          return true;
        }
        last.set(event);
        if (acceptsStart(event) && !printed.getAndSet(true)) {
          System.out.println(id);
        }
        if (waitForEnd) {
          System.err.println(EventLines.describe(event));
          return !EventLines.isEnd(event) && !answersStartWithEnd(event);
        }
        return !(event.getEvent() instanceof StartDeduplicated) && !isStartRejection(event) && awaitsStart(event);
      }, MissionCommandsCli::warn, limit);
      if (!printed.get() && !(last.get() != null && isStartRejection(last.get()))) {
        System.out.println(id);
      }
      if (!answered) {
        System.err.println("No answer from a coordinator within " + limit + "; the command is queued on the commands topic.");
        return waitForEnd ? 1 : 0;
      }
      if (last.get().getEvent() instanceof InputRejected rejected) {
        System.err.println("Rejected: " + rejected.getReason());
        return 1;
      }
      if (last.get().getEvent() instanceof StartDeduplicated duplicate) {
        System.err.println("Mission " + id + " already exists (" + duplicate.getStatus() + "): nothing new started");
        return !waitForEnd || duplicate.getStatus() == MissionStatus.FINISHED ? 0 : 1;
      }
      return !waitForEnd || last.get().getEvent() instanceof io.groundcontrol.schema.MissionFinished ? 0 : 1;
    }

    /** The coordinator's yes to a start: the mission started, resumed, or already exists. */
    private static boolean acceptsStart(MissionEvent event) {
      return event.getEvent() instanceof StartDeduplicated || !awaitsStart(event);
    }

    /** Before the answer to a start, the log may still carry events of an existing mission of the same id. */
    private static boolean awaitsStart(MissionEvent event) {
      return !(event.getEvent() instanceof io.groundcontrol.schema.MissionStarted)
          && !(event.getEvent() instanceof io.groundcontrol.schema.MissionResumed);
    }

    private static boolean isStartRejection(MissionEvent event) {
      return event.getEvent() instanceof InputRejected rejected
          && (event.getSequence() == 0 || rejected.getInput().startsWith("start mission"));
    }

    /** A rejected start, or a duplicate of a mission that has already ended: nothing more will come. */
    private static boolean answersStartWithEnd(MissionEvent event) {
      return isStartRejection(event)
          || (event.getEvent() instanceof StartDeduplicated duplicate && duplicate.getStatus() != MissionStatus.RUNNING);
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true,
      description = "Show a mission's stages, from the coordinator's read side (the HTTP API); without a reachable "
          + "API, rebuilt from the mission-events log.")
  static final class Show implements Callable<Integer> {
    @Mixin ClusterOptions cluster;
    @Mixin ApiOptions api;

    @Parameters(paramLabel = "ID", description = "Mission id.")
    String missionId;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Option(names = "--detail", description = "Also print each failed stage's error detail, such as a stack trace.")
    boolean detail;

    @Option(names = "--as-of", paramLabel = "TIME", converter = AuditCommands.TimeConverter.class,
        description = "The mission as it was at TIME, from its events up to then: an instant (2026-11-22T10:15:30Z) "
            + "or a local date-time (2026-11-22T10:15:30).")
    Instant asOf;

    @Override
    public Integer call() {
      if (asOf != null) {
        Mission then = AuditCommands.missionAsOf(cluster, missionId, asOf);
        if (then == null) {
          return 1;
        }
        print(then);
        return 0;
      }
      Optional<ApiClient> client = api.client(cluster,
          why -> warn(why + ": rebuilding the mission from the event log"));
      if (client.isPresent()) {
        try {
          Optional<MissionDocument> mission = client.get().mission(missionId);
          if (mission.isEmpty()) {
            System.err.println("Unknown mission '" + missionId + "': no coordinator instance has it (never started, or "
                + "forgotten once its retention was over; " + MissionAbsence.auditHint(missionId) + ")");
            return 1;
          }
          if (json) {
            System.out.println(MissionPrinter.json(mission.get()));
          } else {
            MissionPrinter.table(mission.get(), System.out, detail);
          }
          return 0;
        } catch (ApiClient.Unreachable e) {
          warn(e.getMessage() + "; rebuilding the mission from the event log instead");
        }
      }
      try (KafkaTarget target = cluster.connect()) {
        Map<String, List<MissionEvent>> events;
        try (MissionLog log = new MissionLog(target.connection(), cluster.topics())) {
          events = log.readAll(MissionCommandsCli::warn);
        }
        Mission mission = fromLog(missionId, events, cluster.topics().missionEvents(), System.err);
        if (mission == null) {
          return 1;
        }
        Map<String, String> notes;
        try (LiveWorkers workers = new LiveWorkers(target.connection(), cluster.topics())) {
          Map<String, String> components = components(events.get(missionId));
          notes = StageNotes.of(MissionDocument.of(mission, mission.stages()),
              stage -> Optional.ofNullable(components.get(stage)), workers::of,
              () -> ComponentBoard.read(target.connection(), cluster.topics()), Instant.now());
        }
        if (json) {
          System.out.println(MissionPrinter.json(mission, notes));
        } else {
          MissionPrinter.table(mission, notes, System.out, detail);
        }
        return 0;
      }
    }

    /** The mission rebuilt from {@code events}, every mission's in log {@code topic}; null after saying why on {@code err}. */
    static Mission fromLog(String missionId, Map<String, List<MissionEvent>> events, String topic, PrintStream err) {
      Mission mission = MissionLog.rebuild(events, MissionCommandsCli::warn).get(missionId);
      if (mission == null) {
        err.println(MissionAbsence.fromLog(missionId, events.get(missionId), topic));
      }
      return mission;
    }

    private void print(Mission mission) {
      if (json) {
        System.out.println(MissionPrinter.json(mission));
      } else {
        MissionPrinter.table(mission, System.out, detail);
      }
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true,
      description = "List missions, newest first, a page at a time, from the coordinator's read side (the HTTP API); "
          + "without a reachable API, rebuilt from the mission-events log.")
  static final class ListMissions implements Callable<Integer> {
    @Mixin ClusterOptions cluster;
    @Mixin ApiOptions api;

    @Option(names = "--status", description = "Only missions with this status: ${COMPLETION-CANDIDATES}.")
    MissionStatus status;

    @Option(names = "--plan", description = "Only missions of this plan.")
    String plan;

    @Spec CommandSpec spec;

    @Option(names = "--limit", defaultValue = "50", description = "Missions per page, 1 to 500 (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--cursor", description = "Where the previous page ended (it prints the option to pass).")
    String cursor;

    @Override
    public Integer call() {
      if (limit < 1 || limit > MissionQueries.MAX_PAGE) {
        throw new ParameterException(spec.commandLine(),
            "Expected --limit from 1 to " + MissionQueries.MAX_PAGE + ", but got " + limit);
      }
      MissionFilter filter = new MissionFilter(status, plan, null, null);
      Optional<ApiClient> client = api.client(cluster,
          why -> warn(why + ": rebuilding the list from the event log"));
      if (client.isPresent()) {
        try {
          MissionPage page = client.get().missions(filter, cursor, limit);
          MissionPrinter.summaries(page.missions(), System.out);
          if (page.nextCursor() != null) {
            System.err.println("More: add --cursor " + page.nextCursor());
          }
          return 0;
        } catch (ApiClient.Unreachable e) {
          warn(e.getMessage() + "; rebuilding the list from the event log instead");
        }
      }
      List<Mission> missions = new ArrayList<>(readMissions(cluster).values());
      missions.removeIf(m -> status != null && m.status() != status || plan != null && !m.planName().equals(plan));
      missions.sort(Comparator.comparing(Mission::startedAt).reversed());
      MissionPrinter.list(missions.subList(0, Math.min(limit, missions.size())), System.out);
      if (missions.size() > limit) {
        System.err.println((missions.size() - limit) + " more not shown (raise --limit)");
      }
      return 0;
    }
  }

  @Command(name = "cancel", mixinStandardHelpOptions = true, description = "Cancel a running mission.")
  static final class Cancel implements Callable<Integer> {
    @Mixin ClusterOptions cluster;

    @Parameters(paramLabel = "ID", description = "Mission id.")
    String missionId;

    @Option(names = "--reason", description = "Why; kept in the audit log.")
    String reason;

    @Override
    public Integer call() {
      return AnsweredCommands.send(cluster, missionId, new CancelMission(reason), "cancelled " + missionId);
    }
  }

  /** Why each QUEUED stage waits: the slots of its component, as the coordinator last published them. */
  /** The component each stage of a mission was dispatched or queued to, from its events. */
  private static Map<String, String> components(List<MissionEvent> events) {
    Map<String, String> components = new HashMap<>();
    for (MissionEvent event : events) {
      if (event.getEvent() instanceof StageQueued queued) {
        components.put(queued.getStage(), queued.getComponent());
      } else if (event.getEvent() instanceof StageDispatched dispatched) {
        components.put(dispatched.getStage(), dispatched.getComponent());
      }
    }
    return components;
  }

  static Map<String, Mission> readMissions(ClusterOptions cluster) {
    try (KafkaTarget target = cluster.connect(); MissionLog log = new MissionLog(target.connection(), cluster.topics())) {
      return MissionLog.rebuild(log.readAll(MissionCommandsCli::warn), MissionCommandsCli::warn);
    }
  }
}
