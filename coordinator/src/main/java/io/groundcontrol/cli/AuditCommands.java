package io.groundcontrol.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.groundcontrol.audit.EventFields;
import io.groundcontrol.audit.EventSink;
import io.groundcontrol.audit.ExportFilter;
import io.groundcontrol.audit.MissionFold;
import io.groundcontrol.audit.MissionLives;
import io.groundcontrol.audit.PointInTime;
import io.groundcontrol.audit.TextTable;
import io.groundcontrol.audit.Timeline;
import io.groundcontrol.client.MissionLog;
import io.groundcontrol.mission.Mission;
import io.groundcontrol.schema.MissionEvent;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.TypeConversionException;

/** `groundcontrol audit ...`: the mission-events log read for audits. */
@Command(
    name = "audit",
    mixinStandardHelpOptions = true,
    description = "Read the mission-events log for audits: one mission's timeline, or an export of events.",
    subcommands = {AuditCommands.MissionTimeline.class, AuditCommands.Export.class})
final class AuditCommands {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private AuditCommands() {}

  /** Reads {@code --from}, {@code --to} and {@code --as-of}: an instant, or a local date-time in this machine's zone. */
  static final class TimeConverter implements ITypeConverter<Instant> {
    @Override
    public Instant convert(String value) {
      try {
        return PointInTime.parse(value, ZoneId.systemDefault());
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  /**
   * The mission as it was at {@code asOf}, folded from its events up to that time; null, after
   * saying why on stderr, if it had not started then or its history cannot be folded.
   */
  static Mission missionAsOf(ClusterOptions cluster, String missionId, Instant asOf) {
    List<MissionEvent> events;
    try (KafkaTarget target = cluster.connect(); MissionLog log = new MissionLog(target.connection(), cluster.topics())) {
      events = log.readMission(missionId, MissionCommandsCli::warn);
    }
    return missionAsOf(missionId, events, asOf, cluster.topics().missionEvents(), System.err);
  }

  /** {@link #missionAsOf(ClusterOptions, String, Instant)} from the mission's events as read from {@code topic}. */
  static Mission missionAsOf(String missionId, List<MissionEvent> logged, Instant asOf, String topic, PrintStream err) {
    List<MissionEvent> events = logged.stream().filter(e -> e.getSequence() > 0).toList();
    if (events.isEmpty()) {
      err.println("Unknown mission '" + missionId + "': no events for it in " + topic);
      return null;
    }
    List<MissionEvent> prefix = PointInTime.upTo(events, asOf);
    if (prefix.isEmpty()) {
      err.println("Mission '" + missionId + "' had not started by " + asOf + "; its first event is at "
          + events.get(0).getTimestamp());
      return null;
    }
    MissionFold fold = new MissionFold();
    prefix.forEach(fold::accept);
    if (fold.broken().containsKey(missionId)) {
      err.println("Mission '" + missionId + "' cannot be rebuilt as of " + asOf + ": " + fold.broken().get(missionId));
      return null;
    }
    Mission mission = fold.missions().get(missionId);
    if (mission == null) {
      // Not broken, so the history up to then ends with the mission forgotten.
      err.println(MissionAbsence.forgottenBy(missionId, asOf, MissionLives.forgotten(prefix)));
      return null;
    }
    MissionLives.Life life = MissionLives.lifeOf(events, prefix.size() - 1);
    err.println("As of " + asOf + ": events 1 to " + (prefix.size() - life.from()) + " of " + life.size()
        + (life.count() > 1 ? " of the id's mission " + life.number() + " of " + life.count() : ""));
    return mission;
  }

  @Command(name = "mission", mixinStandardHelpOptions = true,
      description = "Print one mission's timeline from the log: every event in order with its time, stage, attempt, "
          + "cause (the command and who sent it, or the worker report and its host) and details such as errors.")
  static final class MissionTimeline implements Callable<Integer> {
    @Mixin ClusterOptions cluster;

    @Parameters(paramLabel = "ID", description = "Mission id.")
    String missionId;

    @Option(names = "--json", description = "Print JSON: the mission id and its events, each one flat object as in `audit export`.")
    boolean json;

    @Option(names = "--detail", description = "After the timeline, print each error's detail, such as a stack trace.")
    boolean detail;

    @Override
    public Integer call() {
      List<MissionEvent> events;
      try (KafkaTarget target = cluster.connect(); MissionLog log = new MissionLog(target.connection(), cluster.topics())) {
        events = log.readMission(missionId, MissionCommandsCli::warn);
      }
      if (events.isEmpty()) {
        System.err.println("Unknown mission '" + missionId + "': no events for it in " + cluster.topics().missionEvents());
        return 1;
      }
      MissionFold fold = new MissionFold();
      events.forEach(fold::accept);
      fold.broken().values().forEach(problem -> MissionCommandsCli.warn("mission " + missionId + ": " + problem));
      if (json) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("missionId", missionId);
        doc.put("events", events.stream().map(EventFields::of).toList());
        System.out.println(toJson(doc));
      } else {
        Mission mission = fold.missions().get(missionId);
        System.out.println("Mission " + missionId + ": " + events.size() + " events"
            + (mission == null ? "" : ", plan " + mission.planName() + "@" + mission.planVersion() + ", "
                + mission.status() + mission.reason().map(r -> ": " + r).orElse("")));
        TextTable.print(Timeline.rows(events), System.out);
        if (detail) {
          Timeline.details(events).forEach(System.out::println);
        }
      }
      return 0;
    }
  }

  @Command(name = "export", mixinStandardHelpOptions = true,
      description = "Write the events stamped from --from (included) to --to (excluded) for external audit tools: "
          + "one flat JSON object per line, or CSV with a column per field. Events come in log order: each mission's "
          + "in sequence order, missions interleaved.")
  static final class Export implements Callable<Integer> {
    @Mixin ClusterOptions cluster;

    @Option(names = "--from", paramLabel = "TIME", converter = TimeConverter.class,
        description = "First time included: 2026-11-22T00:00:00Z, or a local date-time (default: the log's beginning).")
    Instant from;

    @Option(names = "--to", paramLabel = "TIME", converter = TimeConverter.class,
        description = "First time excluded (default: the log's end).")
    Instant to;

    @Option(names = "--plan", description = "Only events of missions on this plan.")
    String plan;

    @Option(names = "--format", defaultValue = "JSONL", description = "jsonl or csv (default: jsonl).")
    EventSink.Format format;

    @Option(names = "--output", paramLabel = "FILE", description = "Write to FILE instead of standard output.")
    Path output;

    @Override
    public Integer call() throws IOException {
      ExportFilter filter = new ExportFilter(from, to, plan);
      long written;
      try (KafkaTarget target = cluster.connect();
          MissionLog log = new MissionLog(target.connection(), cluster.topics());
          Writer writer = open()) {
        EventSink sink = EventSink.open(format, writer);
        log.scan(key -> true, event -> {
          if (filter.test(event)) {
            sink.write(event);
          }
        }, MissionCommandsCli::warn);
        writer.flush();
        written = sink.written();
      }
      if (filter.unknownPlan() > 0) {
        MissionCommandsCli.warn(filter.unknownPlan() + " events in the time range were left out because their mission's "
            + "plan is unknown (inputs naming no mission, or missions whose start the log no longer holds)");
      }
      System.err.println("Exported " + written + " events" + (output == null ? "" : " to " + output));
      return 0;
    }

    private Writer open() throws IOException {
      if (output != null) {
        return Files.newBufferedWriter(output, StandardCharsets.UTF_8);
      }
      // Closing the export must not close standard output.
      return new OutputStreamWriter(new NonClosing(System.out), StandardCharsets.UTF_8);
    }
  }

  private static String toJson(Object doc) {
    try {
      return JSON.writeValueAsString(doc);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static final class NonClosing extends java.io.FilterOutputStream {
    NonClosing(PrintStream out) {
      super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
    }

    @Override
    public void close() throws IOException {
      flush();
    }
  }
}
