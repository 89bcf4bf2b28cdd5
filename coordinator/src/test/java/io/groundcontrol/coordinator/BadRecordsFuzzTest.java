package io.groundcontrol.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.mission.Mission;
import io.groundcontrol.mission.MissionPlan;
import io.groundcontrol.mission.PlanVersions;
import io.groundcontrol.mission.TestPlan;
import io.groundcontrol.query.MissionDocument;
import io.groundcontrol.query.MissionIndex;
import io.groundcontrol.schedule.ScheduleFile;
import io.groundcontrol.schema.Actor;
import io.groundcontrol.schema.ActorKind;
import io.groundcontrol.schema.ComponentSettings;
import io.groundcontrol.schema.InstructionKind;
import io.groundcontrol.schema.MissionCommand;
import io.groundcontrol.schema.MissionState;
import io.groundcontrol.schema.MissionStatus;
import io.groundcontrol.schema.Plan;
import io.groundcontrol.schema.ReportFinished;
import io.groundcontrol.schema.ReportStarted;
import io.groundcontrol.schema.ResumeSchedule;
import io.groundcontrol.schema.Schedule;
import io.groundcontrol.schema.ScheduleCommand;
import io.groundcontrol.schema.StageInstruction;
import io.groundcontrol.schema.StageReport;
import io.groundcontrol.schema.StartMission;
import io.groundcontrol.schema.StoredStage;
import io.groundcontrol.schema.Trigger;
import io.groundcontrol.schema.wire.TopicNames;
import io.groundcontrol.trigger.TriggerTopology;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerInterceptor;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Randomised, fixed seeds: valid traffic (plans, missions started by command, schedule and trigger,
 * workers' reports) interleaved with bad records on EVERY input topic of every sub-topology and of
 * the global stores. Invariants:
 * <ol>
 *   <li>the driver never throws (one bad record never stops the coordinator);
 *   <li>every mission completes SUCCEEDED with the outputs its worker reported;
 *   <li>an undecodable record (random bytes, truncated Avro, another schema), a tombstone on a topic
 *       that is no table, and a decodable record whose key is not the id inside it (null, empty,
 *       huge, another id) are dead-lettered as bad input (a decoding error or {@link
 *       InvalidInputException}, never an unexpected error), naming the source topic and a reason;
 *   <li>a record with a negative timestamp stops no thread (global records go through the global
 *       consumer's configured interceptors, as on a broker);
 *   <li>no store holds a key a bad record brought ("zzbad");
 *   <li>the read side (mission document, mission index) reads every stored mission.
 * </ol>
 * Seeds: {@code -Dfuzz.seeds=N} (default 2), first seed {@code -Dfuzz.seed0=S} (default 1).
 */
class BadRecordsFuzzTest {
  static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
  static final Actor ANN = new Actor(ActorKind.USER, "ann", null);
  static final Actor WORKER = new Actor(ActorKind.WORKER, "w-1", "h1");
  static final String BAD = "zzbad";

  /** What the error handlers were called with; static since Kafka Streams instantiates them. */
  static final List<String> DESER_CALLS = new CopyOnWriteArrayList<>();
  static final List<String> PROC_CALLS = new CopyOnWriteArrayList<>();

  /** Delegates to the coordinator's handler and notes the dead letters it returns. */
  public static final class RecordingDeserialization implements DeserializationExceptionHandler {
    private final DeadLetters.Deserialization delegate = new DeadLetters.Deserialization();

    @Override
    public void configure(Map<String, ?> configs) {
      delegate.configure(configs);
    }

    @Override
    public Response handleError(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
      Response response = delegate.handleError(context, record, exception);
      DESER_CALLS.add(describe(record.topic(), exception, response.deadLetterQueueRecords()));
      return response;
    }
  }

  /** Delegates to the coordinator's handler and notes the dead letters it returns. */
  public static final class RecordingProcessing implements ProcessingExceptionHandler {
    private final DeadLetters.Processing delegate = new DeadLetters.Processing();

    @Override
    public void configure(Map<String, ?> configs) {
      delegate.configure(configs);
    }

    @Override
    public Response handleError(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
      Response response = delegate.handleError(context, record, exception);
      PROC_CALLS.add(describe(context.topic(), exception, response.deadLetterQueueRecords()));
      return response;
    }
  }

  static String describe(String topic, Exception e, List<ProducerRecord<byte[], byte[]>> letters) {
    String where = letters.isEmpty() ? "NO-DLQ" : header(letters.get(0).headers().lastHeader("__streams.errors.topic"));
    return topic + " | " + e.getClass().getSimpleName() + " | dlq-topic=" + where + " | " + e.getMessage();
  }

  static String header(Header h) {
    return h == null ? "<none>" : new String(h.value(), StandardCharsets.UTF_8);
  }

  enum Kind { RANDOM_BYTES, TRUNCATED, WRONG_SCHEMA, NULL_KEY, TOMBSTONE, EMPTY_KEY, HUGE_KEY, KEY_MISMATCH,
    DUPLICATE, TIME_ZERO, TIME_FAR_FUTURE, TIME_NEGATIVE }

  @TempDir Path tmp;

  @Test
  void badRecordsOnEveryInputNeitherStopNorHarmValidMissions() throws Exception {
    int seeds = Integer.getInteger("fuzz.seeds", 2);
    long seed0 = Long.getLong("fuzz.seed0", 1);
    List<String> violations = new ArrayList<>();
    for (long seed = seed0; seed < seed0 + seeds; seed++) {
      Path dir = Files.createDirectories(tmp.resolve("s" + seed));
      violations.addAll(new Run(seed, dir).run());
    }
    assertThat(violations).as("violations (seed, step, topic, kind: what)").isEmpty();
  }

  /**
   * Found by the fuzz (seeds 2, 3, 4: a DUPLICATE or TIME_ZERO replay on admission-requests): a
   * slot request read again after its attempt ended and gave the slot back (at-least-once
   * redelivery) is granted anew, and the mission, whose finished stage still says slotGranted,
   * neither runs nor releases it. The cap's one slot is held for ever: every later stage of the
   * component stays QUEUED.
   */
  @Test
  void aSlotRequestReadAgainAfterItsReleaseDoesNotLeakTheSlot() {
    try (CoordinatorDriver coordinator = new CoordinatorDriver(tmp.resolve("leak"))) {
      coordinator.apply(TestPlan.named("capped").stage("g", "gpu").build());
      coordinator.cap("gpu", 1, T0);
      TestOutputTopic<String, StageInstruction> gpu = coordinator.instructions("gpu");
      coordinator.start("m1", "capped", T0.plusMillis(1));
      var request = coordinator.admissionRequests.readRecord();
      assertThat(gpu.readValue().getMissionId()).isEqualTo("m1");
      coordinator.report("m1", "g", 1, new ReportStarted(null, null), T0.plusMillis(2));
      coordinator.report("m1", "g", 1, new ReportFinished(Map.of()), T0.plusMillis(3));
      assertThat(coordinator.stored("m1").getStatus()).isEqualTo(MissionStatus.FINISHED);

      coordinator.admissionRequestsIn.pipeInput(request.key(), request.value(), request.getRecordTime());
      coordinator.start("m2", "capped", T0.plusMillis(5));
      coordinator.advanceWallClock(Duration.ofSeconds(2));

      assertThat(gpu.readValuesToList()).as("m2's RUN, on the one slot m1 gave back")
          .extracting(StageInstruction::getMissionId).contains("m2");
    }
  }

  /**
   * Kafka Streams' global thread (plans, components, triggers) gives an undecodable record to the
   * configured deserialization handler ({@code GlobalStateUpdateTask} builds its {@code
   * RecordDeserializer} with it), and sends the dead letters the handler returns through a cast of
   * its context to {@code RecordCollector.Supplier}, which the global context is not. The test
   * driver hides this: it gives the global task a LogAndContinueExceptionHandler of its own.
   * Here the real call, with the coordinator's handler and a global processor context.
   */
  @Test
  void anUndecodablePlanRecordIsSkippedByTheGlobalThreadRatherThanStoppingIt() {
    CoordinatorConfig config = CoordinatorConfig.defaults("unused:9092", tmp.resolve("global"));
    StreamsConfig streamsConfig = new StreamsConfig(config.streamsProperties());
    DeadLetters.Deserialization handler = new DeadLetters.Deserialization();
    handler.configure(streamsConfig.originals());
    var metrics = new org.apache.kafka.streams.processor.internals.metrics.StreamsMetricsImpl(
        new org.apache.kafka.common.metrics.Metrics(), "c", org.apache.kafka.common.utils.Time.SYSTEM);
    var context = new org.apache.kafka.streams.processor.internals.GlobalProcessorContextImpl(streamsConfig, null, metrics,
        new org.apache.kafka.streams.state.internals.ThreadCache(new org.apache.kafka.common.utils.LogContext(), 0, metrics),
        org.apache.kafka.common.utils.Time.SYSTEM);
    byte[] notAPlan = {(byte) 0xC3, 0x01, 1, 2, 3, 4, 5, 6, 7, 8, 0};
    Exception decodeFailure;
    try {
      new CoordinatorTopics(TopicNames.DEFAULT).plans().valueSerde().deserializer().deserialize("groundcontrol.plans", notAPlan);
      throw new AssertionError("decoded");
    } catch (RuntimeException e) {
      decodeFailure = e;
    }
    Exception failure = decodeFailure;
    org.assertj.core.api.Assertions.assertThatCode(() ->
        org.apache.kafka.streams.processor.internals.RecordDeserializer.handleDeserializationFailure(handler, context,
            failure, new ConsumerRecord<>("groundcontrol.plans", 0, 7L, T0.toEpochMilli(),
                org.apache.kafka.common.record.TimestampType.CREATE_TIME, 1, notAPlan.length, bytes("p"), notAPlan,
                new RecordHeaders(), Optional.empty()),
            org.slf4j.LoggerFactory.getLogger("test"), metrics.taskLevelSensor("t", "0_0", "dropped",
                org.apache.kafka.common.metrics.Sensor.RecordingLevel.INFO), "plans-source"))
        .as("the global thread's handling of one undecodable plan record").doesNotThrowAnyException();
  }

  /** One seed's run. */
  static final class Run {
    final long seed;
    final Random random;
    final CoordinatorTopics topics = new CoordinatorTopics(TopicNames.DEFAULT);
    final TopicNames names = TopicNames.DEFAULT;
    final TopologyTestDriver driver;
    final List<String> violations = new ArrayList<>();
    final Map<String, TestInputTopic<byte[], byte[]>> raw = new HashMap<>();
    final Map<String, TestOutputTopic<byte[], byte[]>> captured = new HashMap<>();
    /** Valid records seen per input topic, as bytes: the material of duplicates and mutants. */
    final Map<String, List<TestRecord<byte[], byte[]>>> pool = new LinkedHashMap<>();
    final TestOutputTopic<byte[], byte[]> deadLetters;
    final List<String> instructionTopics;
    final Map<String, TestOutputTopic<String, StageInstruction>> instructions = new LinkedHashMap<>();
    final List<StageInstruction> pending = new ArrayList<>();
    final Set<String> started = new LinkedHashSet<>();
    final Map<String, String> planOf = new HashMap<>();
    final List<String> inputTopics;
    final Set<String> globalTopics;
    final ConsumerInterceptor<byte[], byte[]> globalInterceptor;
    Instant now = T0;
    int step;
    int missionsStarted;
    int events;
    final Map<String, Integer> badCounts = new TreeMap<>();
    final Set<String> softFindings = new LinkedHashSet<>();

    Run(long seed, Path stateDir) {
      this.seed = seed;
      this.random = new Random(seed);
      DESER_CALLS.clear();
      PROC_CALLS.clear();
      CoordinatorConfig config = CoordinatorConfig.defaults("unused:9092", stateDir)
          .withOverride(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, RecordingDeserialization.class.getName())
          .withOverride(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, RecordingProcessing.class.getName());
      driver = new TopologyTestDriver(CoordinatorTopology.build(config, Set.of("exports")), config.streamsProperties(), T0);
      globalInterceptor = globalInterceptor(config.streamsProperties());
      globalTopics = Set.of(names.plans(), names.components(), names.triggers());
      inputTopics = List.of(names.missionCommands(), names.stageReports(), names.resultsAnswers(), names.admissionGrants(),
          names.missionAdmissions(), names.admissionRequests(), names.resultsRequests(), names.missionAdmissionRequests(),
          names.schedules(), names.scheduleCommands(), names.scheduledMissionEvents(), names.triggerMatches(), "exports",
          names.plans(), names.components(), names.triggers());
      for (String topic : inputTopics) {
        raw.put(topic, driver.createInputTopic(topic, new ByteArraySerializer(), new ByteArraySerializer()));
        pool.put(topic, new ArrayList<>());
      }
      for (String topic : List.of(names.resultsAnswers(), names.admissionGrants(), names.missionAdmissions(),
          names.admissionRequests(), names.resultsRequests(), names.missionAdmissionRequests(),
          names.scheduledMissionEvents(), names.triggerMatches(), names.missionCommands())) {
        captured.put(topic, driver.createOutputTopic(topic, new ByteArrayDeserializer(), new ByteArrayDeserializer()));
      }
      deadLetters = driver.createOutputTopic(names.deadLetters(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
      instructionTopics = List.of("work", "gpu", "cache");
      for (String component : instructionTopics) {
        instructions.put(component, driver.createOutputTopic(names.instructions(component), new StringDeserializer(),
            CoordinatorTopics.INSTRUCTION.deserializer()));
      }
    }

    // ---- valid traffic ----

    void sendValid(String topic, String key, byte[] value, Instant at) {
      TestRecord<byte[], byte[]> record = new TestRecord<>(bytes(key), value, new RecordHeaders(), at);
      pipe(topic, record, "valid");
      pool.get(topic).add(record);
    }

    <T extends SpecificRecord> byte[] encode(Topic<String, T> topic, T value) {
      return topic.valueSerde().serializer().serialize(topic.name(), value);
    }

    void setUp() {
      for (Plan plan : List.of(
          TestPlan.named("chain").stage("a", "work").stage("b", "work", "a").build(),
          TestPlan.named("capped").stage("g", "gpu").stage("h", "work", "g").build(),
          TestPlan.named("reuse").stage("c", "cache", Map.of("k", "\"same\"")).reuse(3_600_000L).stage("d", "work", "c").build(),
          TestPlan.named("limited").stage("l", "work").maxActiveMissions(2).build())) {
        byte[] value = encode(topics.plans(), plan);
        sendValid(names.plans(), plan.getName(), value, now);
        sendValid(names.plans(), PlanKeys.versioned(plan.getName(), plan.getVersion()), value, now);
      }
      sendValid(names.components(), "gpu", encode(topics.components(), new ComponentSettings("gpu", 1, Map.of())), now);
      Schedule tick = Schedule.newBuilder().setName("tick").setPlan("chain").setEveryMs(2_000L)
          .setEndAt(T0.plusSeconds(9)).build();
      sendValid(names.schedules(), "tick", encode(topics.schedules(), tick), now);
      // Rejected (not paused), but a command the fuzz can replay and mutate.
      sendValid(names.scheduleCommands(), "tick",
          encode(topics.scheduleCommands(), new ScheduleCommand("tick", ANN, now, new ResumeSchedule())), now);
      for (Trigger trigger : ScheduleFile.parse("""
          triggers:
            - name: exp
              topic: exports
              plan: chain
              key: ${event.id}
              dedup_window: 1h
          """, "t.yaml").triggers()) {
        sendValid(names.triggers(), trigger.getName(), encode(topics.triggers(), trigger), now);
      }
    }

    void startMission() {
      String plan = List.of("chain", "capped", "reuse", "limited").get(random.nextInt(4));
      String id = "m-" + seed + "-" + (missionsStarted++);
      started.add(id);
      planOf.put(id, plan);
      MissionCommand command = new MissionCommand(id, ANN, now,
          new StartMission(plan, Map.of(), List.of(), List.of(), false, 0));
      sendValid(names.missionCommands(), id, encode(topics.commands(), command), now);
    }

    void triggerEvent() {
      String json = "{\"id\": \"e" + (events++) + "\"}";
      sendValid("exports", "ev", json.getBytes(StandardCharsets.UTF_8), now);
    }

    void collectInstructions() {
      for (var topic : instructions.values()) {
        for (StageInstruction instruction : topic.readValuesToList()) {
          if (instruction.getKind() == InstructionKind.RUN) {
            pending.add(instruction);
          }
        }
      }
    }

    void work(boolean all) {
      collectInstructions();
      int n = all ? pending.size() : random.nextInt(pending.size() + 1);
      for (int i = 0; i < n && !pending.isEmpty(); i++) {
        StageInstruction instruction = pending.remove(random.nextInt(pending.size()));
        report(instruction, new ReportStarted(null, null));
        report(instruction, new ReportFinished(Map.of("o", expectedOutput(instruction.getMissionId(),
            instruction.getComponent(), instruction.getStage()))));
        collectInstructions();
      }
    }

    static String expectedOutput(String missionId, String component, String stage) {
      return component.equals("cache") ? "\"cached\"" : "\"" + missionId + "/" + stage + "\"";
    }

    void report(StageInstruction instruction, Object outcome) {
      StageReport report = new StageReport(instruction.getMissionId(), instruction.getStage(), instruction.getAttempt(),
          WORKER, now, outcome);
      sendValid(names.stageReports(), instruction.getMissionId(), encode(topics.reports(), report), now);
    }

    void capture() {
      for (var entry : captured.entrySet()) {
        for (TestRecord<byte[], byte[]> record : entry.getValue().readRecordsToList()) {
          if (record.value() != null && record.key() != null) {
            pool.get(entry.getKey()).add(new TestRecord<>(record.key(), record.value(), new RecordHeaders(),
                record.getRecordTime()));
          }
        }
      }
    }

    void advance(long ms) {
      now = now.plusMillis(ms);
      try {
        driver.advanceWallClockTime(Duration.ofMillis(ms));
      } catch (RuntimeException e) {
        violation("wall clock", "advance", "driver threw " + e);
      }
    }

    // ---- bad records ----

    void sendBad() {
      String topic = inputTopics.get(random.nextInt(inputTopics.size()));
      List<TestRecord<byte[], byte[]>> valid = pool.get(topic);
      if (valid.isEmpty()) {
        return;
      }
      TestRecord<byte[], byte[]> base = valid.get(random.nextInt(valid.size()));
      Kind kind = Kind.values()[random.nextInt(Kind.values().length)];
      String onlyTopics = System.getProperty("fuzz.topics");
      String onlyKinds = System.getProperty("fuzz.kinds");
      if (onlyTopics != null && !Arrays.asList(onlyTopics.split(",")).contains(shortName(topic))
          || onlyKinds != null && !Arrays.asList(onlyKinds.split(",")).contains(kind.name())) {
        return;
      }
      if (System.getProperty("fuzz.verbose") != null) {
        System.out.println("step " + step + " bad " + shortName(topic) + " " + kind + " base key "
            + keyText(base.key()));
      }
      boolean table = topic.equals(names.plans()) || topic.equals(names.components()) || topic.equals(names.triggers())
          || topic.equals(names.schedules());
      boolean json = topic.equals("exports");
      byte[] key = base.key();
      byte[] value = base.value();
      Instant at = now;
      switch (kind) {
        case RANDOM_BYTES -> {
          value = new byte[random.nextInt(40)];
          random.nextBytes(value);
          key = bytes(BAD + "-r");
        }
        case TRUNCATED -> {
          value = Arrays.copyOf(value, random.nextInt(Math.max(1, value.length - 1)));
          key = bytes(BAD + "-t");
        }
        case WRONG_SCHEMA -> {
          List<String> others = pool.keySet().stream().filter(t -> !t.equals(topic) && !pool.get(t).isEmpty()
              && !sameSchema(t, topic)).toList();
          String other = others.get(random.nextInt(others.size()));
          value = pool.get(other).get(0).value();
          key = bytes(BAD + "-w");
        }
        case NULL_KEY -> key = null;
        case TOMBSTONE -> {
          value = null;
          key = bytes(BAD + "-tomb");
        }
        case EMPTY_KEY -> key = new byte[0];
        case HUGE_KEY -> key = bytes(BAD + "-" + "k".repeat(100_000));
        case KEY_MISMATCH -> key = bytes(BAD + "-other");
        case DUPLICATE -> { }
        case TIME_ZERO -> at = Instant.EPOCH;
        case TIME_FAR_FUTURE -> at = Instant.parse("9999-12-31T23:59:59Z");
        case TIME_NEGATIVE -> at = Instant.ofEpochMilli(-1000);
      }
      // Global stores (plans, components, triggers): the test driver gives their task a
      // LogAndContinueExceptionHandler of its own, so what the real handler does is checked apart
      // (anUndecodablePlanRecord...); their updater checks no key against the name inside.
      boolean global = globalTopics.contains(topic);
      boolean mustDeadLetter = switch (kind) {
        case RANDOM_BYTES, TRUNCATED, WRONG_SCHEMA -> !global;
        case TOMBSTONE -> !table;
        case NULL_KEY -> !global && !json;
        // scheduled-mission-events: keyed by schedule name, which the MissionEvent does not hold.
        case EMPTY_KEY, HUGE_KEY, KEY_MISMATCH -> !global && !json && !topic.equals(names.scheduledMissionEvents());
        default -> false;
      };
      if (json && kind == Kind.WRONG_SCHEMA) {
        mustDeadLetter = true;
      }
      badCounts.merge(shortName(topic) + ":" + kind, 1, Integer::sum);
      int deserBefore = DESER_CALLS.size();
      int procBefore = PROC_CALLS.size();
      List<TestRecord<byte[], byte[]>> lettersBefore = deadLetters.readRecordsToList();
      if (!lettersBefore.isEmpty()) {
        violation(topic, "before " + kind, lettersBefore.size() + " dead letters from valid traffic: "
            + lettersBefore.stream().map(r -> header(r.headers().lastHeader("__streams.errors.message"))).toList());
      }
      TestRecord<byte[], byte[]> bad;
      try {
        bad = new TestRecord<>(key, value, new RecordHeaders(), at);
      } catch (RuntimeException e) {
        softFindings.add(topic + " " + kind + ": TestRecord refuses it: " + e.getMessage());
        return;
      }
      boolean threw = pipe(topic, bad, kind.name());
      if (threw) {
        return;
      }
      List<String> deser = List.copyOf(DESER_CALLS.subList(deserBefore, DESER_CALLS.size()));
      List<String> proc = List.copyOf(PROC_CALLS.subList(procBefore, PROC_CALLS.size()));
      List<TestRecord<byte[], byte[]>> letters = deadLetters.readRecordsToList();
      List<String> handled = new ArrayList<>(deser);
      handled.addAll(proc);
      for (TestRecord<byte[], byte[]> letter : letters) {
        String from = header(letter.headers().lastHeader("__streams.errors.topic"));
        String message = header(letter.headers().lastHeader("__streams.errors.message"));
        String exception = header(letter.headers().lastHeader("__streams.errors.exception"));
        if (!from.equals(topic) && !from.equals("<none>")) {
          violation(topic, kind.name(), "dead letter names another topic " + from + ": " + message);
        }
        handled.add("letter " + from + " " + exception + " " + message);
      }
      for (String call : handled) {
        if (call.contains("NO-DLQ")) {
          violation(topic, kind.name(), "handled without a dead letter: " + call);
        }
        if (!call.contains("InvalidInputException") && !call.contains("WireFormatException")
            && !call.contains("letter")) {
          violation(topic, kind.name(), "handled as an unexpected error, not as bad input: " + firstLine(call));
        }
      }
      if (mustDeadLetter && handled.isEmpty()) {
        violation(topic, kind.name(), "accepted silently (no dead letter, no handler call); key="
            + keyText(key) + " value=" + (value == null ? "null" : value.length + " bytes"));
      }
      if (!mustDeadLetter && !handled.isEmpty() && kind.ordinal() >= Kind.DUPLICATE.ordinal()) {
        violation(topic, kind.name(), "a valid record replayed was dead-lettered: " + handled);
      }
    }

    boolean sameSchema(String a, String b) {
      return a.equals(b);
    }

    boolean pipe(String topic, TestRecord<byte[], byte[]> record, String what) {
      try {
        raw.get(topic).pipeInput(globalTopics.contains(topic) ? readByGlobalConsumer(topic, record) : record);
        capture();
        return false;
      } catch (RuntimeException e) {
        violation(topic, what, "driver threw " + e + (e.getCause() == null ? "" : " caused by " + e.getCause()));
        return true;
      }
    }

    /**
     * The record as the global thread's consumer hands it to Kafka Streams, through the
     * interceptors configured for it: the test driver gives the global task records directly.
     */
    TestRecord<byte[], byte[]> readByGlobalConsumer(String topic, TestRecord<byte[], byte[]> record) {
      if (globalInterceptor == null) {
        return record;
      }
      TopicPartition partition = new TopicPartition(topic, 0);
      ConsumerRecord<byte[], byte[]> polled = new ConsumerRecord<>(topic, 0, 0, record.timestamp(),
          TimestampType.CREATE_TIME, -1, -1, record.key(), record.value(), record.headers(), Optional.empty());
      ConsumerRecord<byte[], byte[]> read = globalInterceptor.onConsume(
          new ConsumerRecords<>(Map.of(partition, List.of(polled)), Map.of())).records(partition).get(0);
      return new TestRecord<>(read.key(), read.value(), read.headers(), Instant.ofEpochMilli(read.timestamp()));
    }

    void violation(String topic, String kind, String what) {
      violations.add("seed " + seed + " step " + step + " " + shortName(topic) + " " + kind + ": " + what);
    }

    // ---- the run ----

    List<String> run() {
      setUp();
      for (step = 0; step < 150; step++) {
        int r = random.nextInt(100);
        if (r < 12) {
          startMission();
        } else if (r < 16) {
          triggerEvent();
        } else if (r < 60) {
          sendBad();
        } else if (r < 80) {
          work(false);
        } else {
          advance(50 + random.nextInt(150));
        }
      }
      for (int round = 0; round < 200 && !(pending.isEmpty() && allEnded()); round++) {
        step++;
        work(true);
        advance(100);
      }
      check();
      if (!softFindings.isEmpty() || System.getProperty("fuzz.verbose") != null) {
        System.out.println("seed " + seed + ": started " + missionsStarted + " missions, " + events + " trigger events; "
            + "bad records " + badCounts);
        softFindings.forEach(f -> System.out.println("  soft: " + f));
      }
      driver.close();
      return violations;
    }

    boolean allEnded() {
      for (String id : missionIds()) {
        MissionState state = stored(id);
        if (state == null || state.getStatus() == MissionStatus.RUNNING || state.getStatus() == MissionStatus.WAITING) {
          return false;
        }
      }
      return true;
    }

    List<String> missionIds() {
      List<String> ids = new ArrayList<>();
      KeyValueStore<String, Object> store = driver.getKeyValueStore(CoordinatorTopology.MISSION_STORE);
      try (KeyValueIterator<String, Object> all = store.all()) {
        all.forEachRemaining(e -> {
          if (e.key.indexOf(StageKeys.SEPARATOR) < 0) {
            ids.add(e.key);
          }
        });
      }
      return ids;
    }

    MissionState stored(String missionId) {
      KeyValueStore<String, SpecificRecord> store = driver.getKeyValueStore(CoordinatorTopology.MISSION_STORE);
      KeyValueStore<String, Plan> plans = driver.getKeyValueStore(CoordinatorTopology.PLAN_STORE);
      return MissionStore.assemble(store, missionId,
          (name, version) -> Optional.ofNullable(plans.get(PlanKeys.versioned(name, version))).map(CompiledPlan::of));
    }

    void check() {
      List<String> ids = missionIds();
      for (String id : started) {
        if (!ids.contains(id)) {
          violation("-", "end", "mission " + id + " (plan " + planOf.get(id) + ") is not stored");
        }
      }
      int scheduled = 0;
      int triggered = 0;
      for (String id : ids) {
        scheduled += id.startsWith("s.") || id.startsWith("tick") ? 1 : 0;
        triggered += id.startsWith("t.") ? 1 : 0;
        if (id.contains(BAD)) {
          violation("-", "end", "a mission from a bad record is stored: " + id.substring(0, Math.min(60, id.length())));
          continue;
        }
        MissionState state;
        try {
          state = stored(id);
        } catch (RuntimeException e) {
          violation("-", "end", "mission " + id + " cannot be read: " + e);
          continue;
        }
        if (state.getStatus() != MissionStatus.FINISHED) {
          violation("-", "end", "mission " + id + " (plan " + state.getPlanName() + ") ended " + state.getStatus()
              + " reason " + state.getReason() + " stages " + state.getStages().stream()
              .map(s -> s.getName() + "=" + s.getStatus()).toList());
          continue;
        }
        for (StoredStage stage : state.getStages()) {
          String component = componentOf(state.getPlanName(), stage.getName());
          String expected = expectedOutput(id, component, stage.getName());
          if (!Map.of("o", expected).equals(stage.getOutputs())) {
            violation("-", "end", "mission " + id + " stage " + stage.getName() + " outputs " + stage.getOutputs()
                + ", expected o=" + expected);
          }
        }
        readSide(id);
      }
      if (scheduled == 0 || triggered == 0) {
        violation("-", "end", "expected scheduled and triggered missions too: " + scheduled + " scheduled, "
            + triggered + " triggered, of " + ids);
      }
      indexReadSide(ids);
      for (StateStore store : driver.getAllStateStores().values()) {
        if (!(store instanceof KeyValueStore<?, ?>) || Set.of(CoordinatorTopology.PLAN_STORE,
            CoordinatorTopology.COMPONENT_STORE, TriggerTopology.TRIGGER_STORE).contains(store.name())) {
          continue;
        }
        @SuppressWarnings("unchecked")
        KeyValueStore<Object, Object> kv = (KeyValueStore<Object, Object>) store;
        try (KeyValueIterator<Object, Object> all = kv.all()) {
          all.forEachRemaining(e -> {
            if (String.valueOf(e.key).contains(BAD) || String.valueOf(e.value).contains(BAD)) {
              violation(store.name(), "end", "store holds what a bad record brought: key "
                  + String.valueOf(e.key).substring(0, Math.min(80, String.valueOf(e.key).length())));
            }
          });
        } catch (RuntimeException e) {
          violation(store.name(), "end", "store cannot be read whole: " + e);
        }
      }
    }

    static String componentOf(String plan, String stage) {
      return switch (stage) {
        case "g" -> "gpu";
        case "c" -> "cache";
        default -> "work";
      };
    }

    /** What {@code LocalStores.mission} does for the API. */
    void readSide(String id) {
      try {
        KeyValueStore<String, Plan> plans = driver.getKeyValueStore(CoordinatorTopology.PLAN_STORE);
        PlanVersions versions = (name, version) ->
            Optional.ofNullable(plans.get(PlanKeys.versioned(name, version))).map(CompiledPlan::of);
        MissionState state = MissionStore.assemble(driver.getKeyValueStore(CoordinatorTopology.MISSION_STORE), id, versions);
        Mission mission = MissionStateCodec.fromStored(state);
        Optional<MissionPlan> plan = versions.version(mission.planName(), mission.planVersion());
        MissionDocument document = MissionDocument.of(
            mission, plan.isPresent() ? mission.stagesInPlanOrder(plan.get()) : mission.stages());
        if (document.summary() == null) {
          violation("-", "read", "no summary for " + id);
        }
      } catch (RuntimeException e) {
        violation("-", "read", "mission document of " + id + " throws " + e);
      }
    }

    void indexReadSide(List<String> ids) {
      KeyValueStore<String, String> index = driver.getKeyValueStore(MissionIndex.STORE);
      try (KeyValueIterator<String, String> all = index.all()) {
        all.forEachRemaining(e -> {
          int sep = e.key.lastIndexOf('\u0000');
          String id = e.key.substring(sep + 1);
          if (e.key.startsWith("v")) {
            return;
          }
          if (!ids.contains(id)) {
            violation("mission-index", "read", "lists an unknown mission: " + e.key.replace('\u0000', '/'));
          }
        });
      }
    }

    static String shortName(String topic) {
      return topic.replace("groundcontrol.", "");
    }

    static String keyText(byte[] key) {
      if (key == null) {
        return "null";
      }
      String text = new String(key, StandardCharsets.UTF_8);
      return text.length() > 40 ? text.substring(0, 40) + "...(" + key.length + " bytes)" : "'" + text + "'";
    }

    static String firstLine(String text) {
      int nl = text.indexOf('\n');
      String line = nl < 0 ? text : text.substring(0, nl);
      return line.length() > 300 ? line.substring(0, 300) + "..." : line;
    }
  }

  /** The interceptor configured for the global thread's consumer, if any. */
  @SuppressWarnings("unchecked")
  static ConsumerInterceptor<byte[], byte[]> globalInterceptor(Properties props) {
    String name = props.getProperty(StreamsConfig.GLOBAL_CONSUMER_PREFIX + ConsumerConfig.INTERCEPTOR_CLASSES_CONFIG);
    try {
      return name == null ? null : (ConsumerInterceptor<byte[], byte[]>) Class.forName(name).getConstructor().newInstance();
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
