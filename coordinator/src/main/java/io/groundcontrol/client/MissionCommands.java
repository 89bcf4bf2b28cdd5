package io.groundcontrol.client;

import io.groundcontrol.schema.Actor;
import io.groundcontrol.schema.CancelMission;
import io.groundcontrol.schema.Cause;
import io.groundcontrol.schema.CauseKind;
import io.groundcontrol.schema.FailStage;
import io.groundcontrol.schema.RetryStage;
import io.groundcontrol.schema.SkipStage;
import io.groundcontrol.schema.MissionCommand;
import io.groundcontrol.schema.MissionEvent;
import io.groundcontrol.schema.StartMission;
import io.groundcontrol.schema.wire.AvroSerde;
import io.groundcontrol.schema.wire.TopicNames;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Sends mission commands. A command is a request: the coordinator answers in the mission-events
 * log, with the events it caused or a rejection saying why not.
 */
public final class MissionCommands implements AutoCloseable {
  /** What a command Kafka did not take may still do, and how to send it again safely. */
  private static final String AFTERWARDS = "It may still be written and decided: see the mission before sending it "
      + "again (a start sent again with the same mission id or key starts one mission)";

  private final KafkaProducer<String, MissionCommand> producer;
  private final TopicNames topics;
  private final Actor actor;
  private final Clock clock;
  private final WriteWait wait;

  /** Commands sent as {@code actor}, stamped by {@code clock}, each waiting as a tool does ({@link WriteWait#TOOLS}). */
  public MissionCommands(KafkaConnection kafka, TopicNames topics, Actor actor, Clock clock) {
    this(kafka, topics, actor, clock, WriteWait.TOOLS);
  }

  /**
   * As {@link #MissionCommands(KafkaConnection, TopicNames, Actor, Clock)}, where each send waits at
   * most {@code wait} for Kafka, the wait for metadata included: for the HTTP API, whose callers wait on it.
   */
  public MissionCommands(KafkaConnection kafka, TopicNames topics, Actor actor, Clock clock, WriteWait wait) {
    this.producer = new KafkaProducer<>(
        wait.producer(kafka), new StringSerializer(), AvroSerde.of(MissionCommand.class).serializer());
    this.topics = topics;
    this.actor = actor;
    this.clock = clock;
    this.wait = wait;
  }

  /** A fresh mission id: sortable by start time, unique. */
  public static String newMissionId(Clock clock) {
    return "m-" + Long.toString(clock.millis(), 36) + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /**
   * Asks to start a mission and waits until the broker has the command.
   *
   * @param params mission inputs, values as JSON text
   */
  public void start(String missionId, String plan, Map<String, String> params, List<String> excludedStages) {
    start(missionId, plan, params, excludedStages, List.of());
  }

  /**
   * Asks to start a mission that runs only {@code startFrom} and their downstream (all stages if
   * empty), and waits until the broker has the command.
   */
  public void start(
      String missionId, String plan, Map<String, String> params, List<String> excludedStages, List<String> startFrom) {
    start(missionId, plan, params, excludedStages, startFrom, 0);
  }

  /**
   * As {@link #start(String, String, Map, List, List)}, with a priority: queued stages of capped
   * components of a mission with a higher priority get slots first.
   */
  public void start(String missionId, String plan, Map<String, String> params, List<String> excludedStages,
      List<String> startFrom, int priority) {
    send(missionId, StartMission.newBuilder().setPlanName(plan).setParams(params).setExcludedStages(excludedStages)
        .setStartFrom(startFrom).setPriority(priority).build());
  }

  /** Asks to start a mission as {@code start} says, and waits until the broker has the command. */
  public void start(String missionId, StartMission start) {
    send(missionId, start);
  }

  /** As {@link #start(String, StartMission)}, within {@code write}'s wait, begun with {@link #begin(String)}. */
  public void start(WriteWait.Write write, String missionId, StartMission start) {
    sendAs(write, actor, clock.instant(), missionId, start);
  }

  /**
   * Asks to start a mission of {@code plan}, without params, for each of {@code missionIds}, and
   * waits until the broker has every command: one wait for all of them rather than one per mission,
   * for a bulk of starts.
   *
   * @throws IllegalStateException naming the first mission whose command the broker did not take
   */
  public void startAll(List<String> missionIds, String plan) {
    Instant issuedAt = clock.instant();
    List<Future<RecordMetadata>> sent = new ArrayList<>(missionIds.size());
    for (String missionId : missionIds) {
      StartMission start = StartMission.newBuilder().setPlanName(plan).setParams(Map.of()).build();
      sent.add(producer.send(new ProducerRecord<>(topics.missionCommands(), null, issuedAt.toEpochMilli(), missionId,
          new MissionCommand(missionId, actor, issuedAt, start))));
    }
    producer.flush();
    for (int i = 0; i < sent.size(); i++) {
      wait.begin(commandFor(missionIds.get(i)), AFTERWARDS).await(sent.get(i));
    }
  }

  /** Asks to run a FAILED stage again, with or without everything downstream of it. */
  public void retryStage(String missionId, String stage, boolean withDownstream) {
    send(missionId, new RetryStage(stage, withDownstream));
  }

  /** Asks to pass over a stage so that its downstream runs. */
  public void skipStage(String missionId, String stage, String reason) {
    send(missionId, new SkipStage(stage, reason));
  }

  /** Asks to mark a stage failed, without retry. */
  public void failStage(String missionId, String stage, String reason) {
    send(missionId, new FailStage(stage, reason));
  }

  /** Asks to cancel a mission and waits until the broker has the command. */
  public void cancel(String missionId, String reason) {
    send(missionId, new CancelMission(reason));
  }

  /**
   * Sends {@code command} for {@code missionId} as {@code by}, issued at {@code issuedAt}, and
   * waits until the broker has it. {@code issuedAt} is also the record's timestamp, which the
   * coordinator's events for the command carry, so a sender can tell its answer in the log.
   *
   * @throws WriteNotTakenException if Kafka did not take the command within the wait, or failed it
   *     as it may when the cluster is away; one that timed out may still be written later
   */
  public void sendAs(Actor by, Instant issuedAt, String missionId, Object command) {
    sendAs(begin(missionId), by, issuedAt, missionId, command);
  }

  /**
   * Begins the write of a command for {@code missionId}: the reads a sender needs first (where the
   * log ends, to find the answer) run as its steps, so that the whole exchange waits for Kafka at
   * most once the wait, and a read Kafka does not answer fails as the command not sent.
   */
  public WriteWait.Write begin(String missionId) {
    return wait.begin(commandFor(missionId), AFTERWARDS);
  }

  /**
   * As {@link #sendAs(Actor, Instant, String, Object)}, within {@code write}'s wait, begun with
   * {@link #begin(String)}.
   */
  public void sendAs(WriteWait.Write write, Actor by, Instant issuedAt, String missionId, Object command) {
    MissionCommand record = new MissionCommand(missionId, by, issuedAt, command);
    // Waiting for metadata happens in send (a failure comes back in its future): both within the wait.
    write.await(producer.send(
        new ProducerRecord<>(topics.missionCommands(), null, issuedAt.toEpochMilli(), missionId, record)));
  }

  /**
   * Whether {@code event} answers the command {@code issuer} sent for {@code missionId} at
   * {@code issuedAt} with {@link #sendAs}: the coordinator stamps a command's events, and its
   * rejection, with the command's actor and timestamp.
   */
  public static boolean isAnswer(MissionEvent event, String missionId, Actor issuer, Instant issuedAt) {
    Cause cause = event.getCause();
    return event.getMissionId().equals(missionId)
        && cause.getKind() == CauseKind.COMMAND
        && CommandIssuers.answers(cause.getActor(), event.getTimestamp(), issuer, issuedAt);
  }

  private static String commandFor(String missionId) {
    return "command for mission '" + missionId + "'";
  }

  private void send(String missionId, Object command) {
    sendAs(actor, clock.instant(), missionId, command);
  }

  @Override
  public void close() {
    producer.close();
  }
}
