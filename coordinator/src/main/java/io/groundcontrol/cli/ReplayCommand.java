package io.groundcontrol.cli;

import io.groundcontrol.audit.InputReplayer;
import io.groundcontrol.audit.LogReplay;
import io.groundcontrol.audit.StoreChangelog;
import io.groundcontrol.audit.Verification;
import io.groundcontrol.client.KafkaAccessErrors;
import io.groundcontrol.client.MissionLog;
import io.groundcontrol.coordinator.CoordinatorConfig;
import io.groundcontrol.mission.Mission;
import io.groundcontrol.schema.MissionStatus;
import io.groundcontrol.schema.wire.TopicNames;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** `groundcontrol replay`: missions rebuilt from the log, checked against the coordinator's store, or run again. */
@Command(
    name = "replay",
    mixinStandardHelpOptions = true,
    description = "Rebuild every mission from the mission-events log with the coordinator's own event appliers and "
        + "report the time taken. With --verify, compare each with the coordinator's stored state (read from its "
        + "store's changelog topic) field by field, print every difference and exit 1 if there is any.",
    subcommands = {ReplayCommand.Inputs.class})
final class ReplayCommand implements Callable<Integer> {
  @Mixin ClusterOptions cluster;

  @Option(names = "--verify", description = "Compare with the coordinator's store; exit 1 on any difference.")
  boolean verify;

  @Option(names = "--application-id",
      description = "The coordinator's application id, which names its store's changelog "
          + "(default: <topic prefix>-coordinator, as `coordinator`, `dev` and `demo` use).")
  String applicationId;

  @Override
  public Integer call() {
    String appId = applicationId != null ? applicationId : CoordinatorConfig.defaultApplicationId(cluster.topics());
    try (KafkaTarget target = cluster.connect()) {
      // The changelog's end is fixed before the log is read: the log then holds at least what the store does.
      try (StoreChangelog changelog = verify ? StoreChangelog.open(target.connection(), appId, cluster.topics().plans()) : null) {
        LogReplay replay;
        try (MissionLog log = new MissionLog(target.connection(), cluster.topics())) {
          replay = LogReplay.of(log, MissionCommandsCli::warn);
        }
        System.out.println(summary(replay));
        if (!verify) {
          replay.fold().broken().forEach((id, problem) -> System.out.println("mission " + id + ": " + problem));
          return replay.fold().broken().isEmpty() ? 0 : 1;
        }
        StoreChangelog.Stored stored = changelog.read(MissionCommandsCli::warn);
        Verification verification = Verification.of(replay.fold(), stored.missions(), stored.unreadable());
        return print(verification, changelog.name(), stored);
      }
    } catch (IllegalStateException e) {
      if (KafkaAccessErrors.isAccessError(e)) {
        throw e;
      }
      System.err.println(e.getMessage());
      return 1;
    }
  }

  private static int print(Verification verification, String changelog, StoreChangelog.Stored stored) {
    verification.brokenHistories().forEach(System.out::println);
    verification.differences().forEach(d -> System.out.println(d.describe()));
    stored.unreadable().forEach(id -> System.out.println("mission " + id + ": its stored state cannot be decoded"));
    int findings = verification.differences().size() + verification.brokenHistories().size() + stored.unreadable().size();
    System.out.println("Verified " + verification.compared() + (verification.compared() == 1 ? " mission" : " missions")
        + " against " + changelog + ": "
        + (findings == 0 ? "no differences" : findings + (findings == 1 ? " finding" : " findings")));
    if (verification.logAhead()) {
      System.out.println("Note: where the log is ahead of the store, the mission may have changed while the two were "
          + "read; if the coordinator is running, run again.");
    }
    return findings == 0 ? 0 : 1;
  }

  private static String summary(LogReplay replay) {
    Map<MissionStatus, Integer> byStatus = new EnumMap<>(MissionStatus.class);
    for (Mission mission : replay.fold().missions().values()) {
      byStatus.merge(mission.status(), 1, Integer::sum);
    }
    int missions = replay.fold().missions().size() + replay.fold().broken().size();
    return String.format("Replayed %d events of %d mission%s in %.2f s (%,.0f events/s): %s",
        replay.fold().events(), missions, missions == 1 ? "" : "s",
        replay.elapsed().toNanos() / 1e9, replay.eventsPerSecond(), byStatus.isEmpty() ? "none" : byStatus);
  }

  @Command(name = "inputs", mixinStandardHelpOptions = true,
      description = "Re-issue one mission's inputs, recovered from its log (its start command and every worker "
          + "report and command it received), into the topics of another prefix, so a coordinator there runs it "
          + "again without touching the original topics. By default each input waits for a coordinator on the "
          + "target prefix to answer the one before, every event is checked against the original, and the final "
          + "states are compared; exit 0 if the run was reproduced exactly.")
  static final class Inputs implements Callable<Integer> {
    @Mixin ClusterOptions cluster;

    @Option(names = "--mission", required = true, paramLabel = "ID", description = "The mission to replay.")
    String missionId;

    @Option(names = "--to-prefix", required = true, paramLabel = "PREFIX", converter = TopicPrefixConverter.class,
        description = "Topic prefix to replay into; a coordinator there uses application id PREFIX-coordinator (its default).")
    String toPrefix;

    @Option(names = "--no-wait",
        description = "Write every input at once, for a coordinator started afterwards, and exit.")
    boolean noWait;

    @Option(names = "--timeout", defaultValue = "PT2M",
        description = "Longest a paced replay waits for the coordinator (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Override
    public Integer call() {
      try (KafkaTarget target = cluster.connect()) {
        if (!noWait && !target.coordinatorMayRun()) {
          System.err.println("No coordinator can answer on a broker this command started itself: write the inputs with "
              + "--no-wait, then run `groundcontrol dev --data-dir " + cluster.dataDir + " --topic-prefix " + toPrefix
              + "`, or start `groundcontrol dev` first and run coordinator --topic-prefix " + toPrefix + " against it.");
          return 1;
        }
        InputReplayer.Request request = new InputReplayer.Request(
            target.connection(), cluster.topics(), new TopicNames(toPrefix), missionId, !noWait, timeout);
        return InputReplayer.run(request, System.out, MissionCommandsCli::warn) ? 0 : 1;
      } catch (IllegalStateException | IllegalArgumentException e) {
        if (KafkaAccessErrors.isAccessError(e)) {
          throw e;
        }
        System.err.println(e.getMessage());
        return 1;
      }
    }
  }
}
