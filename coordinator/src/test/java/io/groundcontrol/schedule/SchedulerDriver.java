package io.groundcontrol.schedule;

import io.groundcontrol.coordinator.CoordinatorConfig;
import io.groundcontrol.coordinator.CoordinatorTopics;
import io.groundcontrol.coordinator.CoordinatorTopology;
import io.groundcontrol.coordinator.PlanKeys;
import io.groundcontrol.mission.TestPlan;
import io.groundcontrol.schema.Actor;
import io.groundcontrol.schema.ActorKind;
import io.groundcontrol.schema.ComponentSettings;
import io.groundcontrol.schema.InstructionKind;
import io.groundcontrol.schema.MissionEvent;
import io.groundcontrol.schema.MissionStarted;
import io.groundcontrol.schema.Plan;
import io.groundcontrol.schema.ReportFinished;
import io.groundcontrol.schema.Schedule;
import io.groundcontrol.schema.ScheduleCommand;
import io.groundcontrol.schema.ScheduleEvent;
import io.groundcontrol.schema.ScheduleFired;
import io.groundcontrol.schema.StageInstruction;
import io.groundcontrol.schema.StageReport;
import io.groundcontrol.schema.wire.TopicNames;
import io.groundcontrol.testing.DriverOffsets;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

/** The whole coordinator topology in a {@link TopologyTestDriver}, seen from its schedules. */
final class SchedulerDriver implements AutoCloseable {
  static final Actor ANN = new Actor(ActorKind.USER, "ann", null);

  final CoordinatorTopics topics = new CoordinatorTopics(TopicNames.DEFAULT);
  final TopologyTestDriver driver;
  private final TestInputTopic<String, Plan> plans;
  private final TestInputTopic<String, Schedule> schedules;
  private final TestInputTopic<String, ScheduleCommand> commands;
  private final TestInputTopic<String, StageReport> reports;
  private final TestInputTopic<String, ComponentSettings> components;
  private final TestOutputTopic<String, ScheduleEvent> scheduleEvents;
  private final TestOutputTopic<String, MissionEvent> missionEvents;
  private final TestOutputTopic<byte[], byte[]> deadLetters;
  private final TestInputTopic<String, MissionEvent> scheduledMissionEventsIn;
  private final TestOutputTopic<String, MissionEvent> scheduledMissionEventsOut;
  private final List<TestRecord<String, MissionEvent>> seenScheduledMissionEvents =
      new ArrayList<>();
  private final List<ScheduleEvent> seenScheduleEvents = new ArrayList<>();
  private final List<MissionEvent> seenMissionEvents = new ArrayList<>();
  private Instant now;

  SchedulerDriver(Path stateDir, Instant start) {
    this(stateDir, start, false);
  }

  /** A driver under at-least-once when {@code atLeastOnce}, as {@code --at-least-once} runs it. */
  SchedulerDriver(Path stateDir, Instant start, boolean atLeastOnce) {
    CoordinatorConfig config = CoordinatorConfig.defaults("unused:9092", stateDir);
    Properties properties = config.streamsProperties();
    if (atLeastOnce) {
      properties.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
    }
    driver = new TopologyTestDriver(CoordinatorTopology.build(config), properties, start);
    now = start;
    StringSerializer keys = new StringSerializer();
    plans = driver.createInputTopic(topics.plans().name(), keys, topics.plans().valueSerde().serializer());
    schedules = driver.createInputTopic(topics.schedules().name(), keys, topics.schedules().valueSerde().serializer());
    commands = driver.createInputTopic(
        topics.scheduleCommands().name(), keys, topics.scheduleCommands().valueSerde().serializer());
    reports = driver.createInputTopic(topics.reports().name(), keys, topics.reports().valueSerde().serializer());
    components = driver.createInputTopic(topics.components().name(), keys, topics.components().valueSerde().serializer());
    scheduleEvents = driver.createOutputTopic(
        topics.scheduleEvents().name(), new StringDeserializer(), topics.scheduleEvents().valueSerde().deserializer());
    missionEvents = driver.createOutputTopic(
        topics.events().name(), new StringDeserializer(), topics.events().valueSerde().deserializer());
    deadLetters = driver.createOutputTopic(
        topics.names().deadLetters(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    scheduledMissionEventsIn = driver.createInputTopic(
        topics.scheduledMissionEvents().name(), keys, topics.scheduledMissionEvents().valueSerde().serializer());
    scheduledMissionEventsOut = driver.createOutputTopic(topics.scheduledMissionEvents().name(), new StringDeserializer(),
        topics.scheduledMissionEvents().valueSerde().deserializer());
  }

  /** A driver whose wall clock reads {@code start}, with plan {@code p} (one stage) applied. */
  static SchedulerDriver withPlanP(Path stateDir, Instant start) {
    return withPlanP(stateDir, start, false);
  }

  static SchedulerDriver withPlanP(Path stateDir, Instant start, boolean atLeastOnce) {
    SchedulerDriver driver = new SchedulerDriver(stateDir, start, atLeastOnce);
    driver.apply(TestPlan.named("p").stage("a", "warehouse").build());
    return driver;
  }

  SchedulerDriver apply(Plan plan) {
    plans.pipeInput(plan.getName(), plan, now);
    plans.pipeInput(PlanKeys.versioned(plan.getName(), plan.getVersion()), plan, now);
    return this;
  }

  SchedulerDriver apply(Schedule schedule) {
    return apply(schedule, now);
  }

  /** Applies {@code schedule} as a host whose clock reads {@code sentAt} does: the record's timestamp. */
  SchedulerDriver apply(Schedule schedule, Instant sentAt) {
    schedules.pipeInput(schedule.getName(), schedule, sentAt);
    return this;
  }

  void remove(String schedule) {
    schedules.pipeInput(schedule, null, now);
  }

  void command(String schedule, Object command) {
    command(schedule, command, now);
  }

  /** Sends {@code command} as a host whose clock reads {@code sentAt} does. */
  void command(String schedule, Object command, Instant sentAt) {
    commands.pipeInput(schedule, new ScheduleCommand(schedule, ANN, sentAt, command), sentAt);
  }

  /** Sends {@code command} under record key {@code key}, whatever schedule it names. */
  void commandKeyed(String key, ScheduleCommand command) {
    commands.pipeInput(key, command, now);
  }

  /** Every record the missions wrote to {@code scheduled-mission-events} so far, as the scheduler read them. */
  List<TestRecord<String, MissionEvent>> scheduledMissionEvents() {
    seenScheduledMissionEvents.addAll(scheduledMissionEventsOut.readRecordsToList());
    return List.copyOf(seenScheduledMissionEvents);
  }

  /**
   * Has the scheduler read {@code record} of {@code scheduled-mission-events} again, as after a crash
   * under at-least-once: at its offset when {@code atItsOffset}, else as a new record.
   */
  void readAgain(TestRecord<String, MissionEvent> record, boolean atItsOffset) {
    if (atItsOffset) {
      // The scheduler read these records in the order they were written, from offset 0.
      atOffset(topics.scheduledMissionEvents().name(), seenScheduledMissionEvents.indexOf(record),
          () -> scheduledMissionEventsIn.pipeInput(record));
    } else {
      scheduledMissionEventsIn.pipeInput(record);
    }
  }

  void readAgain(TestRecord<String, MissionEvent> record) {
    readAgain(record, false);
  }

  /** Has the scheduler read the {@code n}-th schedule command (from 0) again, at its offset, sent as {@code command} was. */
  void commandReadAgain(long n, String schedule, Object command, Instant sentAt) {
    atOffset(topics.scheduleCommands().name(), n, () -> command(schedule, command, sentAt));
  }

  /** Has the scheduler read the {@code n}-th record (from 0) of the schedules topic again: {@code schedule}, or null for a removal. */
  void scheduleReadAgain(long n, String name, Schedule schedule, Instant sentAt) {
    atOffset(topics.schedules().name(), n, () -> schedules.pipeInput(name, schedule, sentAt));
  }

  private void atOffset(String topic, long offset, Runnable pipe) {
    DriverOffsets.pipeAt(driver, topic, offset, pipe);
  }

  /** Why each record dead-lettered since the last call was. */
  List<String> deadLetterReasons() {
    return deadLetters.readRecordsToList().stream().map(r -> new String(
        r.headers().lastHeader("__streams.errors.message").value(), StandardCharsets.UTF_8)).toList();
  }

  /** Caps {@code component} at {@code maxRunning}, as {@code component apply} does. */
  void cap(String component, int maxRunning) {
    components.pipeInput(component, new ComponentSettings(component, maxRunning, Map.of()), now);
  }

  /** The missions whose attempts were sent to {@code component}'s workers to run, in order. */
  List<String> runs(String component) {
    return driver.createOutputTopic(topics.names().instructions(component), new StringDeserializer(),
            CoordinatorTopics.INSTRUCTION.deserializer()).readValuesToList().stream()
        .filter(i -> i.getKind() == InstructionKind.RUN).map(StageInstruction::getMissionId).toList();
  }

  /** Reports the stage finished, which ends a one-stage mission. */
  void finish(String missionId, String stage) {
    reports.pipeInput(missionId,
        new StageReport(missionId, stage, 1, new Actor(ActorKind.WORKER, "w", null), now, new ReportFinished(Map.of())),
        now);
  }

  /** Moves the wall clock in steps of {@code step}, firing the punctuations of each step. */
  void advance(Duration total, Duration step) {
    Instant end = now.plus(total);
    while (now.isBefore(end)) {
      Duration next = Duration.between(now, end).compareTo(step) < 0 ? Duration.between(now, end) : step;
      driver.advanceWallClockTime(next);
      now = now.plus(next);
    }
  }

  /** Moves the wall clock at once: one punctuation sees the whole gap, as after a stop. */
  void jump(Duration gap) {
    driver.advanceWallClockTime(gap);
    now = now.plus(gap);
  }

  Instant now() {
    return now;
  }

  /** Every schedule event written so far. */
  List<ScheduleEvent> scheduleEvents() {
    seenScheduleEvents.addAll(scheduleEvents.readValuesToList());
    return List.copyOf(seenScheduleEvents);
  }

  <T> List<T> scheduleEvents(Class<T> type) {
    return scheduleEvents().stream().map(ScheduleEvent::getEvent).filter(type::isInstance).map(type::cast).toList();
  }

  List<ScheduleFired> fires() {
    return scheduleEvents(ScheduleFired.class);
  }

  /** Every mission event written so far. */
  List<MissionEvent> missionEvents() {
    seenMissionEvents.addAll(missionEvents.readValuesToList());
    return List.copyOf(seenMissionEvents);
  }

  /** Ids of the missions that started, in order. */
  List<String> startedMissions() {
    return missionEvents().stream().filter(e -> e.getEvent() instanceof MissionStarted)
        .map(MissionEvent::getMissionId).toList();
  }

  @Override
  public void close() {
    driver.close();
  }
}
