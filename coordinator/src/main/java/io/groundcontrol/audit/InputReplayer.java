package io.groundcontrol.audit;

import io.groundcontrol.audit.ReplayInput.Channel;
import io.groundcontrol.client.KafkaClients;
import io.groundcontrol.client.KafkaConnection;
import io.groundcontrol.client.MissionLog;
import io.groundcontrol.coordinator.MissionStateCodec;
import io.groundcontrol.coordinator.ReplayedInput;
import io.groundcontrol.mission.EventAppliers;
import io.groundcontrol.mission.Mission;
import io.groundcontrol.schema.MissionCommand;
import io.groundcontrol.schema.MissionEvent;
import io.groundcontrol.schema.MissionStarted;
import io.groundcontrol.schema.Plan;
import io.groundcontrol.schema.StageReport;
import io.groundcontrol.schema.wire.AvroCodec;
import io.groundcontrol.schema.wire.TopicNames;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Re-issues one mission's inputs, recovered from its log by {@link InputsFromLog}, into the topics
 * of another prefix, so that a coordinator there runs the mission again without touching the
 * original topics. Copies the plan version the mission ran first.
 *
 * <p>Paced (the default), each input waits until the coordinator on the target prefix has answered
 * the one before, inputs are stamped on the present clock (see {@link ReplayPacer}), every event is
 * checked against the original, and the rebuilt states are compared at the end. Unpaced, every
 * input is written at once with the timestamp of the events it caused, for a coordinator started
 * later, which then orders commands and reports by timestamp.
 */
public final class InputReplayer {
  private static final Duration QUIET = Duration.ofSeconds(1);

  private final Request request;
  private final PrintStream out;
  private final Consumer<String> problems;

  /**
   * What to replay.
   *
   * @param kafka the cluster holding both prefixes
   * @param source the topics the mission ran on
   * @param target the topics to replay into; must differ from {@code source}
   * @param missionId the mission; it keeps its id on the target
   * @param paced wait for a coordinator on {@code target} to answer each input
   * @param timeout longest a paced replay may take
   */
  public record Request(
      KafkaConnection kafka, TopicNames source, TopicNames target, String missionId, boolean paced, Duration timeout) {
    /** Checks that the prefixes differ. */
    public Request {
      if (source.prefix().equals(target.prefix())) {
        throw new IllegalArgumentException("Expected a target prefix other than the mission's own '" + source.prefix()
            + "', but they are the same: a replay must not touch the original topics");
      }
    }
  }

  private InputReplayer(Request request, PrintStream out, Consumer<String> problems) {
    this.request = request;
    this.out = out;
    this.problems = problems;
  }

  /**
   * Runs the replay, reporting to {@code out} and undecodable records to {@code problems}.
   *
   * @return true if the mission was re-issued (unpaced) or reproduced exactly (paced)
   */
  public static boolean run(Request request, PrintStream out, Consumer<String> problems) {
    return new InputReplayer(request, out, problems).run();
  }

  private boolean run() {
    List<MissionEvent> original;
    int partitions;
    try (MissionLog log = new MissionLog(request.kafka(), request.source())) {
      original = MissionLives.beforeForgotten(MissionLives.latest(log.readMission(request.missionId(), problems)));
      partitions = log.partitions().size();
    }
    InputsFromLog.Recovered recovered = InputsFromLog.from(original);
    if (recovered.inputs().isEmpty() || !(recovered.inputs().get(0).expected().get(0).getEvent() instanceof MissionStarted started)) {
      out.println("Mission '" + request.missionId() + "' has no start in " + request.source().missionEvents()
          + recovered.stoppedAt().map(s -> ": " + s).orElse(""));
      return false;
    }
    recovered.stoppedAt().ifPresent(why -> out.println("Inputs are recovered only up to " + why));
    if (targetHasMission()) {
      out.println("Mission '" + request.missionId() + "' already has events in " + request.target().missionEvents()
          + ": replay into a fresh prefix");
      return false;
    }
    Plan plan = ReplayTarget.prepare(request, started.getPlanName(), started.getPlanVersion(), partitions, problems);
    out.println("Copied plan '" + plan.getName() + "' version " + plan.getVersion() + " to prefix " + request.target().prefix());
    try (MissionLog target = new MissionLog(request.kafka(), request.target());
        Sender sender = new Sender(request)) {
      return request.paced()
          ? paced(recovered, original, target, sender)
          : unpaced(recovered.inputs(), sender) && recovered.stoppedAt().isEmpty();
    }
  }

  private boolean targetHasMission() {
    try (MissionLog target = new MissionLog(request.kafka(), request.target())) {
      return !target.readMission(request.missionId(), problems).isEmpty();
    } catch (IllegalStateException noEventsTopic) {
      return false;
    }
  }

  private boolean unpaced(List<ReplayInput> inputs, Sender sender) {
    int sent = 0;
    for (ReplayInput input : inputs) {
      if (input.channel() != Channel.TIMER) {
        sender.send(input, Duration.ZERO);
        sent++;
      }
    }
    out.println("Wrote " + sent + " inputs of mission " + request.missionId() + " to prefix " + request.target().prefix()
        + "; run a coordinator on it: `groundcontrol coordinator --topic-prefix " + request.target().prefix()
        + "`, or `groundcontrol dev --topic-prefix "
        + request.target().prefix() + "` on a data dir");
    for (int i = 1; i < inputs.size(); i++) {
      ReplayInput before = inputs.get(i - 1);
      ReplayInput after = inputs.get(i);
      if (before.channel() != after.channel() && !after.timestamp().isAfter(before.timestamp())) {
        out.println("warning: '" + after.description() + "' is not stamped after '" + before.description()
            + "' on the other topic, so a coordinator may take them in either order; a paced replay keeps the order");
      }
    }
    return true;
  }

  private boolean paced(
      InputsFromLog.Recovered recovered, List<MissionEvent> original, MissionLog target, Sender sender) {
    ReplayPacer pacer = new ReplayPacer(recovered.inputs());
    Map<TopicPartition, Long> from = target.endOffsets();
    pacer.begin(Instant.now()).forEach(input -> sender.send(input, pacer.shift()));
    long deadline = System.nanoTime() + request.timeout().toNanos();
    while (!pacer.done() && System.nanoTime() < deadline) {
      boolean stopped = target.follow(from, event -> {
        if (event.getMissionId().equals(request.missionId())) {
          pacer.onEvent(event, Instant.now()).forEach(input -> sender.send(input, pacer.shift()));
        }
        return !pacer.done();
      }, problems, QUIET);
      from = target.positions();
      if (!stopped) {
        pacer.onQuiet().ifPresent(input -> sender.send(input, pacer.shift()));
      }
    }
    return report(pacer, recovered, original);
  }

  private boolean report(ReplayPacer pacer, InputsFromLog.Recovered recovered, List<MissionEvent> original) {
    if (pacer.startResends() > 0) {
      out.println("The coordinator on " + request.target().prefix() + " loaded the copied plan late: the start was sent "
          + (pacer.startResends() + 1) + " times (the early ones are sequence-0 rejections in its log)");
    }
    pacer.mismatches().forEach(m -> out.println("  " + m));
    if (pacer.divergence().isPresent()) {
      out.println("The replay diverged at event " + (pacer.reached() + 1) + ": " + pacer.divergence().get());
      return false;
    }
    if (!pacer.done()) {
      out.println("No answer from a coordinator on prefix " + request.target().prefix() + " within " + request.timeout()
          + pacer.awaited().map(i -> " to '" + i.description() + "'").orElse("") + " (reproduced up to event "
          + pacer.reached() + "): is one running? groundcontrol coordinator --topic-prefix " + request.target().prefix());
      return false;
    }
    long expected = recovered.inputs().get(recovered.inputs().size() - 1).lastSequence();
    out.println("The coordinator on " + request.target().prefix() + " reproduced events 1 to " + expected + " of mission "
        + request.missionId() + ": " + (pacer.mismatches().isEmpty() ? "identical" : pacer.mismatches().size()
        + " with other contents") + " (inputs were stamped up to " + pacer.shift() + " later than the original, so "
        + "that timers fall due on the present clock; compared with that taken off)");
    if (!pacer.timerDrift().isZero()) {
      out.println("Timers fired up to " + pacer.timerDrift().toMillis() + " ms apart from the original's: tolerated, "
          + "as the coordinator stamps a timer's events with the time its punctuation ran");
    }
    if (recovered.stoppedAt().isPresent()) {
      return false;
    }
    List<Difference> differences = compare(original, pacer.replayed());
    differences.forEach(d -> out.println("  " + d.field() + ": original " + d.logSays() + ", replay " + d.storeSays()));
    out.println(differences.isEmpty() ? "Final state: equal to the original, field by field"
        : "Final state: " + differences.size() + " differences");
    return differences.isEmpty() && pacer.mismatches().isEmpty();
  }

  private List<Difference> compare(List<MissionEvent> original, List<MissionEvent> replayed) {
    Mission before = new EventAppliers().replay(original.stream().filter(e -> e.getSequence() > 0).toList());
    Mission after = new EventAppliers().replay(replayed.stream().filter(e -> e.getSequence() > 0).toList());
    return StateVerifier.compare(
        Map.of(request.missionId(), MissionStateCodec.toStored(before)),
        after == null ? Map.of() : Map.of(request.missionId(), MissionStateCodec.toStored(after)));
  }

  /** Sends recovered inputs to the target's topics, each acknowledged before the next. */
  private static final class Sender implements AutoCloseable {
    private final KafkaProducer<String, byte[]> producer;
    private final TopicNames target;
    private final AvroCodec<MissionCommand> commands = AvroCodec.of(MissionCommand.class);
    private final AvroCodec<StageReport> reports = AvroCodec.of(StageReport.class);

    Sender(Request request) {
      Map<String, Object> props = KafkaClients.producer(request.kafka());
      this.producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
      this.target = request.target();
    }

    /** Sends {@code input} with every time in it, and its record timestamp, {@code shift} later. */
    void send(ReplayInput input, Duration shift) {
      boolean command = input.channel() == Channel.COMMAND;
      String topic = command ? target.missionCommands() : target.stageReports();
      byte[] value = command
          ? commands.encode(TimeShift.shift((MissionCommand) input.record(), shift))
          : reports.encode(TimeShift.shift((StageReport) input.record(), shift));
      String key = input.expected().get(0).getMissionId();
      try {
        ProducerRecord<String, byte[]> record =
            new ProducerRecord<>(topic, null, input.timestamp().plus(shift).toEpochMilli(), key, value);
        record.headers().add(ReplayedInput.HEADER, new byte[0]);
        producer.send(record).get(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Interrupted while replaying '" + input.description() + "'", e);
      } catch (ExecutionException | TimeoutException e) {
        throw new IllegalStateException("Could not replay '" + input.description() + "' to " + topic + ": " + e.getMessage(), e);
      }
    }

    @Override
    public void close() {
      producer.close();
    }
  }
}
