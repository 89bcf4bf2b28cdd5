package io.groundcontrol.cli;

import io.groundcontrol.audit.TextTable;
import io.groundcontrol.client.ApiClient;
import io.groundcontrol.client.CompactedTopic;
import io.groundcontrol.client.KafkaConnection;
import io.groundcontrol.client.MissionLog;
import io.groundcontrol.query.ScheduleDocument;
import io.groundcontrol.schedule.ScheduleDecider;
import io.groundcontrol.schedule.ScheduleSpec;
import io.groundcontrol.schedule.ScheduledMissionEvents;
import io.groundcontrol.schema.FireBuffered;
import io.groundcontrol.schema.FireSkipped;
import io.groundcontrol.schema.FiresMissed;
import io.groundcontrol.schema.Schedule;
import io.groundcontrol.schema.ScheduleCommandRejected;
import io.groundcontrol.schema.ScheduleEvent;
import io.groundcontrol.schema.ScheduleFired;
import io.groundcontrol.schema.SchedulePaused;
import io.groundcontrol.schema.ScheduleResumed;
import io.groundcontrol.schema.ScheduledMissionStatus;
import io.groundcontrol.schema.Trigger;
import io.groundcontrol.schema.wire.AvroSerde;
import io.groundcontrol.trigger.TriggerStatus;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * `groundcontrol schedule list`: schedules with their next fire, last mission and its status, from
 * the scheduler's store through the HTTP API; triggers, with whether a coordinator reads each one's
 * topic (asked of the same API). Without an API, schedules are rebuilt from the logs.
 */
@Command(name = "list", mixinStandardHelpOptions = true,
    description = "List schedules (next fire, last mission and its status, pause) and event triggers (whether a "
        + "coordinator reads each one's topic, from its HTTP API; an inert trigger says why).")
final class ScheduleList implements Callable<Integer> {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss xxx")
      .withZone(ZoneId.systemDefault());

  @Mixin ClusterOptions cluster;
  @Mixin ApiOptions api;

  /** What the API answered: every schedule, and whether a coordinator reads each trigger's topic. */
  private record ReadSide(List<ScheduleDocument> schedules, List<TriggerStatus> triggers) {}

  @Override
  public Integer call() {
    Optional<ReadSide> readSide = readSide();
    try (KafkaTarget target = cluster.connect()) {
      KafkaConnection servers = target.connection();
      Map<String, Trigger> triggers = CompactedTopic.read(servers, cluster.topics().triggers(),
          AvroSerde.of(Trigger.class).deserializer());
      List<List<String>> rows = readSide.isPresent() ? ScheduleRows.of(readSide.get().schedules()) : fromLogs(servers);
      TextTable.print(rows, System.out);
      if (!triggers.isEmpty()) {
        System.out.println();
        TriggerTable table = new TriggerTable(triggers.values(), readSide.map(ReadSide::triggers));
        TextTable.print(table.rows(), System.out);
        table.notes().forEach(System.out::println);
      }
    }
    return 0;
  }

  /** The schedules and trigger states from the API; empty, after saying why, if it cannot be asked. */
  private Optional<ReadSide> readSide() {
    Optional<ApiClient> client = api.client(cluster, this::warnWithoutApi);
    if (client.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(new ReadSide(client.get().schedules().schedules(), client.get().triggers().triggers()));
    } catch (ApiClient.Unreachable | ApiClient.Refused e) {
      warnWithoutApi(e.getMessage());
      return Optional.empty();
    }
  }

  private void warnWithoutApi(String why) {
    MissionCommandsCli.warn(why + ": schedules are rebuilt from " + cluster.topics().scheduleEvents() + " and "
        + cluster.topics().missionEvents() + ", and whether a coordinator reads each trigger's topic is unknown (STATE "
        + TriggerTable.UNKNOWN + ")");
  }

  /** The schedule table rebuilt from the schedules topic, the schedule log and the last missions' events. */
  private List<List<String>> fromLogs(KafkaConnection servers) {
    ScheduleRebuild rebuild = new ScheduleRebuild();
    readSchedules(servers, rebuild);
    readScheduleEvents(servers, rebuild);
    Map<String, String> statuses = missionStatuses(servers, rebuild.seen());
    Instant now = Instant.now();
    ScheduleRows rows = new ScheduleRows();
    rebuild.schedules().values().stream().sorted((a, b) -> a.getName().compareTo(b.getName())).forEach(schedule -> {
      ScheduleRebuild.Seen s = rebuild.seen().getOrDefault(schedule.getName(), new ScheduleRebuild.Seen());
      String pause = schedule.getPaused() ? ScheduleDecider.FILE : s.pause;
      rows.add(schedule.getName(), schedule.getPlan(), schedule.getPriority(), when(schedule), pause != null ? "-" : next(schedule, now),
          s.lastMission, statuses.getOrDefault(s.lastMission, "STARTING"), pause);
    });
    return rows.rows();
  }

  private static String when(Schedule schedule) {
    return ScheduleDocument.when(schedule);
  }

  private static String next(Schedule schedule, Instant now) {
    ScheduleSpec spec = ScheduleSpec.of(schedule);
    Optional<Instant> next = spec.nominalAfter(now);
    return next.map(n -> fireTime(spec.dueAt(n))).orElse("none (ended)");
  }

  /** A fire time in this machine's zone, with its offset: the schedule's own zone may differ. */
  static String fireTime(Instant at) {
    return TIME.format(at);
  }

  /** Every record of the schedules topic, tombstones too: they tell a schedule applied again after a removal. */
  private void readSchedules(KafkaConnection servers, ScheduleRebuild rebuild) {
    String topic = cluster.topics().schedules();
    AvroSerde<Schedule> serde = AvroSerde.of(Schedule.class);
    try (CompactedTopic log = new CompactedTopic(servers, topic)) {
      log.scanRecords(record -> rebuild.definition(record.key(),
          record.value() == null ? null : serde.deserializer().deserialize(topic, record.value()),
          Instant.ofEpochMilli(record.timestamp())), Duration.ofNanos(Long.MAX_VALUE));
    }
  }

  private void readScheduleEvents(KafkaConnection servers, ScheduleRebuild rebuild) {
    AvroSerde<ScheduleEvent> serde = AvroSerde.of(ScheduleEvent.class);
    try (CompactedTopic log = new CompactedTopic(servers, cluster.topics().scheduleEvents())) {
      log.scan((key, value) -> {
        if (value != null) {
          rebuild.event(serde.deserializer().deserialize(cluster.topics().scheduleEvents(), value));
        }
      });
    }
  }

  /**
   * The status of each schedule's last mission, from its start and end events in the mission log,
   * read from the fire on: a fired mission starts no earlier than its {@code ScheduleFired}.
   */
  private Map<String, String> missionStatuses(KafkaConnection servers, Map<String, ScheduleRebuild.Seen> seen) {
    Map<String, Instant> firedAt = new HashMap<>();
    seen.values().forEach(s -> {
      if (s.lastMission != null) {
        firedAt.put(s.lastMission, s.firedAt);
      }
    });
    Map<String, String> statuses = new HashMap<>();
    if (firedAt.isEmpty()) {
      return statuses;
    }
    try (MissionLog log = new MissionLog(servers, cluster.topics())) {
      log.scanSince(firedAt, event -> {
        ScheduledMissionStatus status = ScheduledMissionEvents.statusAfter(event);
        if (status != null) {
          statuses.put(event.getMissionId(), status.name());
        }
      }, MissionCommandsCli::warn);
    }
    return statuses;
  }

  /** One line for people per schedule event. */
  static String describe(Object event) {
    if (event instanceof ScheduleFired e) {
      return "fired " + e.getMissionId() + (e.getCatchUp() ? " (catch-up)" : "")
          + (e.getCancelled() == null ? "" : ", cancelling " + e.getCancelled());
    } else if (event instanceof FireSkipped e) {
      return "skipped the fire of " + e.getNominalTime() + ": " + e.getReason();
    } else if (event instanceof FireBuffered e) {
      return "the fire of " + e.getNominalTime() + " waits for " + e.getBehind();
    } else if (event instanceof FiresMissed e) {
      return e.getCount() + " fires missed from " + e.getFirst() + " to " + e.getLast() + ": " + e.getReason();
    } else if (event instanceof SchedulePaused e) {
      return "paused by " + e.getBy() + (e.getReason() == null ? "" : ": " + e.getReason());
    } else if (event instanceof ScheduleResumed e) {
      return "resumed by " + e.getBy() + "; " + ScheduleCommandsCli.counted(e.getFiresWhilePaused(), "fire") + " passed while paused";
    } else if (event instanceof ScheduleCommandRejected e) {
      return "rejected " + e.getInput() + ": " + e.getReason();
    }
    return event.getClass().getSimpleName();
  }
}
