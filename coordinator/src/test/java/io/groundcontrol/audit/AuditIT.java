package io.groundcontrol.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.groundcontrol.client.MissionLog;
import io.groundcontrol.coordinator.CompiledPlan;
import io.groundcontrol.coordinator.Coordinator;
import io.groundcontrol.coordinator.CoordinatorConfig;
import io.groundcontrol.coordinator.CoordinatorTopics;
import io.groundcontrol.coordinator.MissionStateCodec;
import io.groundcontrol.coordinator.MissionStore;
import io.groundcontrol.coordinator.MissionStoreSerde;
import io.groundcontrol.coordinator.StageKeys;
import io.groundcontrol.mission.MissionPlan;
import io.groundcontrol.mission.PlanVersions;
import io.groundcontrol.schema.MissionHeader;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.avro.specific.SpecificRecord;
import io.groundcontrol.coordinator.TopicSetup;
import io.groundcontrol.mission.EventAppliers;
import io.groundcontrol.mission.TestPlan;
import io.groundcontrol.schema.CauseKind;
import io.groundcontrol.schema.InputRejected;
import io.groundcontrol.schema.MissionCancelled;
import io.groundcontrol.schema.MissionEvent;
import io.groundcontrol.schema.MissionFinished;
import io.groundcontrol.schema.MissionResumed;
import io.groundcontrol.schema.StageDispatched;
import io.groundcontrol.schema.StageRetryScheduled;
import io.groundcontrol.schema.StageSkipped;
import io.groundcontrol.schema.MissionState;
import io.groundcontrol.schema.StageStatus;
import io.groundcontrol.schema.StoredStage;
import io.groundcontrol.schema.wire.AvroCodec;
import io.groundcontrol.schema.wire.TopicNames;
import io.groundcontrol.testing.GroundcontrolFixture;
import io.groundcontrol.testing.KafkaBrokerExtension;
import io.groundcontrol.worker.api.StageResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The audit commands against a real broker: 500 missions run by a coordinator and real workers
 * (finished; failed; retried by command after failing; cancelled mid-stage with the worker's late
 * report rejected; a stage skipped by command mid-run and another retried by the plan's policy),
 * then read back,
 * verified against the store, viewed as of earlier times, exported and replayed. The missions run
 * once, in {@link #runMissions()}; each test leaves the log and the store as it found them, except
 * for one undecodable record, which every command must tolerate anyway.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuditIT {
  @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

  private static final int MISSIONS = 500;
  private static final AvroCodec<MissionEvent> EVENTS = AvroCodec.of(MissionEvent.class);

  private GroundcontrolFixture groundcontrol;
  private Map<String, List<MissionEvent>> log;

  /** What the workers, and the test's commands, make of mission {@code m-NNN}, by NNN modulo 10. */
  enum Outcome {
    FINISHED,
    /** 'features' fails; the plan gives it one attempt, so the mission fails. */
    FAILED,
    /** 'features' fails as in FAILED; once the mission has failed, a retry command reruns it, and it finishes. */
    MANUAL_RETRY,
    /** Cancelled while 'train' runs; the worker's late report is rejected. */
    CANCELLED,
    /**
     * 'features' runs until a skip command stops it (its late report is rejected); the first
     * attempt of 'train' fails retryably and the plan's retry policy runs a second one.
     */
    RETRIES_AND_SKIPS
  }

  static Outcome planned(int index) {
    return switch (index % 10) {
      case 3 -> Outcome.FAILED;
      case 5 -> Outcome.MANUAL_RETRY;
      case 7 -> Outcome.CANCELLED;
      case 9 -> Outcome.RETRIES_AND_SKIPS;
      default -> Outcome.FINISHED;
    };
  }

  /** The diamond with a retry policy on 'train': 3 attempts, backoff from 50 ms. */
  static TestPlan plan() {
    return TestPlan.named("diamond")
        .stage("extract", "warehouse")
        .stage("clean", "warehouse", "extract")
        .stage("features", "ml", "extract")
        .stage("train", "ml", "clean", "features").retry(3, 50)
        .stage("publish", "warehouse", "train");
  }

  private static String id(int index) {
    return String.format("m-%03d", index);
  }

  private static int index(String missionId) {
    return Integer.parseInt(missionId.substring(2));
  }

  @BeforeAll
  void runMissions() throws InterruptedException {
    groundcontrol = new GroundcontrolFixture(KAFKA, "audit").startCoordinator().apply(plan().build());
    BlockingQueue<String> blocked = new LinkedBlockingQueue<>();
    groundcontrol.worker("warehouse", 8,
        context -> StageResult.finished().output("rows", Integer.toString(index(context.missionId()))));
    groundcontrol.worker("ml", 8, context -> {
      Outcome outcome = planned(index(context.missionId()));
      String stage = context.stage();
      if ((outcome == Outcome.FAILED || outcome == Outcome.MANUAL_RETRY) && stage.equals("features")
          && context.attempt() == 1) {
        throw new IllegalStateException("feature store unreachable");
      }
      if ((outcome == Outcome.CANCELLED && stage.equals("train"))
          || (outcome == Outcome.RETRIES_AND_SKIPS && stage.equals("features"))) {
        blocked.put(context.missionId());
        new CountDownLatch(1).await(); // until the cancel or the skip interrupts this attempt
      }
      if (outcome == Outcome.RETRIES_AND_SKIPS && stage.equals("train") && context.attempt() == 1) {
        throw new IllegalStateException("GPU busy");
      }
      return StageResult.finished().stringOutput("model", "churn-" + context.missionId());
    });
    List<String> ids = IntStream.range(0, MISSIONS).mapToObj(AuditIT::id).toList();
    List<String> manualRetries = ids.stream().filter(id -> planned(index(id)) == Outcome.MANUAL_RETRY).toList();
    long blocking = ids.stream().filter(id -> planned(index(id)) == Outcome.CANCELLED
        || planned(index(id)) == Outcome.RETRIES_AND_SKIPS).count();
    long begin = System.nanoTime();

    ids.forEach(id -> groundcontrol.start(id, "diamond"));
    for (int n = 0; n < blocking; n++) {
      String id = blocked.poll(60, TimeUnit.SECONDS);
      assertThat(id).as("a mission to cancel or skip a stage of, blocked in it").isNotNull();
      if (planned(index(id)) == Outcome.CANCELLED) {
        groundcontrol.commands().cancel(id, "audit test");
      } else {
        groundcontrol.commands().skipStage(id, "features", "not needed for the audit");
      }
    }
    groundcontrol.awaitEnd(manualRetries, Duration.ofSeconds(180));
    manualRetries.forEach(id -> groundcontrol.commands().retryStage(id, "features", false));
    groundcontrol.awaitEnd(ids, Duration.ofSeconds(180));
    groundcontrol.awaitEventCount(MissionFinished.class, 400, Duration.ofSeconds(180));
    awaitLateReports(ids.stream().filter(id -> planned(index(id)) == Outcome.CANCELLED
        || planned(index(id)) == Outcome.RETRIES_AND_SKIPS).toList());
    try (MissionLog reader = new MissionLog(groundcontrol.connection(), groundcontrol.topics())) {
      log = reader.readAll(problem -> {
        throw new AssertionError(problem);
      });
    }
    System.out.printf("%d missions (%d events) ran in %d ms%n", MISSIONS,
        log.values().stream().mapToInt(List::size).sum(), (System.nanoTime() - begin) / 1_000_000);
  }

  @AfterAll
  void stop() {
    if (groundcontrol != null) {
      groundcontrol.close();
    }
  }

  @Test
  void replayVerifyFindsTheStoreEqualToTheLog() {
    CliRun run = cli("replay", "--verify");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.out())
        .contains("of " + MISSIONS + " missions")
        .contains("FINISHED=400", "FAILED=50", "CANCELLED=50")
        .contains("Verified " + MISSIONS + " missions against " + changelog() + ": no differences");
  }

  @Test
  void replaySpeedIsMeasuredOverTheWholeLog() {
    List<String> problems = new ArrayList<>();
    List<LogReplay> runs = new ArrayList<>();
    // A fresh reader each time, as each CLI run has: scanning again with one consumer first waits
    // out its pending fetch at the log's end (fetch.max.wait.ms), which is not replay work.
    for (int run = 0; run < 5; run++) {
      try (MissionLog reader = new MissionLog(groundcontrol.connection(), groundcontrol.topics())) {
        runs.add(LogReplay.of(reader, problems::add));
      }
    }
    runs.sort(Comparator.comparing(LogReplay::elapsed));
    LogReplay timed = runs.get(runs.size() / 2);

    assertThat(timed.fold().missions()).hasSize(MISSIONS);
    assertThat(timed.fold().broken()).isEmpty();
    System.out.printf("Replay speed (median of 5): read, decoded and folded %d events of %d missions in %d ms: "
        + "%,.0f events/s (fastest %,.0f, slowest %,.0f)%n", timed.fold().events(), MISSIONS, timed.elapsed().toMillis(),
        timed.eventsPerSecond(), runs.get(0).eventsPerSecond(), runs.get(runs.size() - 1).eventsPerSecond());
    double bytes = log.values().stream().flatMap(List::stream)
        .mapToInt(e -> EVENTS.encode(e).length).average().orElse(0);
    System.out.printf("Average event value: %.0f bytes, %.1f events per mission%n", bytes,
        timed.fold().events() / (double) MISSIONS);
    System.out.printf("On disk: %.0f bytes per event in %s, %.0f bytes per mission in %s (before compaction)%n",
        bytesOnDisk(groundcontrol.topics().missionEvents()) / (double) timed.fold().events(),
        groundcontrol.topics().missionEvents(), bytesOnDisk(changelog()) / (double) MISSIONS, changelog());
    MissionFold fold = new MissionFold();
    long begin = System.nanoTime();
    log.values().forEach(events -> events.forEach(fold::accept));
    System.out.printf("Fold alone (events in memory): %,.0f events/s%n", fold.events() / ((System.nanoTime() - begin) / 1e9));
  }

  @Test
  void anAlteredStoreEntryIsReportedAsADifference() {
    String id = id(10);
    // A diamond mission is small enough to be stored whole (MissionStore): alter its stage in the record.
    String key = id;
    ConsumerRecord<String, byte[]> latest = latestStored(key);
    MissionState original = (MissionState) MissionStoreSerde.INSTANCE.decode(latest.value());
    List<StoredStage> stages = new ArrayList<>();
    original.getStages().forEach(stage -> stages.add(stage.getName().equals("clean")
        ? StoredStage.newBuilder(stage).setStatus(StageStatus.RUNNING).build() : stage));
    MissionState altered = MissionState.newBuilder(original).setStages(stages).build();

    write(changelog(), latest.partition(), key, MissionStoreSerde.INSTANCE.encode(altered));
    try {
      CliRun run = cli("replay", "--verify");
      System.out.println("replay --verify with an altered store entry:\n" + run.out());

      assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
      assertThat(run.out()).contains("mission " + id + ": stage 'clean' status: log says FINISHED, store says RUNNING")
          .contains(": 1 finding");
    } finally {
      write(changelog(), latest.partition(), key, latest.value());
    }
  }

  @Test
  void asOfGivesEveryStateTheCoordinatorStoredAlongTheWay() throws Exception {
    Set<String> sample = new HashSet<>(IntStream.range(20, 60).mapToObj(AuditIT::id).toList());
    Map<String, List<MissionState>> recorded = storedHistory(sample);
    int checked = 0;
    int awaitingRetry = 0;
    List<MissionState> forCli = new ArrayList<>();
    Map<MissionState, Instant> reachedAt = new HashMap<>();
    for (String id : sample) {
      List<MissionEvent> events = log.get(id).stream().filter(e -> e.getSequence() > 0).toList();
      for (MissionState state : recorded.get(id)) {
        int applied = (int) state.getSequence();
        // Not its updatedAt: stamps come from the workers' and users' clocks and can step back
        // within a mission, so a state holds from the latest stamp among its events on.
        Instant reached = events.subList(0, applied).stream().map(MissionEvent::getTimestamp).max(Instant::compareTo)
            .orElseThrow();
        if (applied < events.size() && !events.get(applied).getTimestamp().isAfter(reached)) {
          continue; // the next event is stamped no later: no time shows this state alone
        }
        assertThat(stagesByName(MissionStateCodec.toStored(new EventAppliers().replay(PointInTime.upTo(events, reached)))))
            .as(id + " as of " + reached)
            .isEqualTo(state);
        checked++;
        awaitingRetry += state.getStages().stream().anyMatch(st -> st.getStatus() == StageStatus.AWAITING_RETRY) ? 1 : 0;
        if (state.getSequence() == 6 && forCli.size() < 3) {
          forCli.add(state);
          reachedAt.put(state, reached);
        }
      }
    }
    assertThat(checked).as("states checked").isGreaterThan(sample.size() * 4);
    assertThat(awaitingRetry).as("states checked with a stage awaiting its retry").isPositive();
    assertThat(forCli).isNotEmpty();

    for (MissionState state : forCli) {
      CliRun run = cli("mission", "show", state.getMissionId(), "--as-of", reachedAt.get(state).toString(), "--json");
      assertThat(run.exitCode()).as(run.toString()).isZero();
      JsonNode shown = new ObjectMapper().readTree(run.out());
      assertThat(shown.get("status").asText()).isEqualTo(state.getStatus().name());
      assertThat(shown.get("sequence").asLong()).isEqualTo(state.getSequence());
      Map<String, String> shownStatus = new HashMap<>();
      shown.get("stages").forEach(stage -> shownStatus.put(stage.get("name").asText(), stage.get("status").asText()));
      for (StoredStage stage : state.getStages()) {
        assertThat(shownStatus).containsEntry(stage.getName(), stage.getStatus().name());
      }
    }
  }

  @Test
  void theTimelineShowsACancelWithWhoSentItAndTheReportRejectedAfterIt() throws Exception {
    String id = id(17);

    CliRun run = cli("audit", "mission", id, "--json");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    JsonNode events = new ObjectMapper().readTree(run.out()).get("events");
    JsonNode cancel = null;
    for (JsonNode event : events) {
      if (event.get("kind").asText().equals("MissionCancelled")) {
        cancel = event;
      }
    }
    assertThat(cancel).isNotNull();
    assertThat(cancel.get("cause.kind").asText()).isEqualTo("COMMAND");
    assertThat(cancel.get("cause.actor.id").asText()).isEqualTo("test");
    assertThat(cancel.get("reason").asText()).isEqualTo("audit test (cancelled by test)");
    JsonNode last = events.get(events.size() - 1);
    assertThat(last.get("kind").asText()).isEqualTo("InputRejected");
    assertThat(last.get("cause.kind").asText()).isEqualTo("REPORT");
    assertThat(last.get("input").asText()).startsWith("fail stage 'train' (attempt 1) from worker ");
    CliRun table = cli("audit", "mission", id);
    System.out.println("audit mission " + id + ":\n" + table.out());
    assertThat(table.out()).contains("MissionCancelled", "COMMAND from USER test");
  }

  @Test
  void anExportHoldsExactlyTheEventsOfItsPlanAndTimeRange(@TempDir Path dir) throws Exception {
    List<MissionEvent> all = log.values().stream().flatMap(List::stream).toList();
    Instant from = all.get(all.size() / 3).getTimestamp();
    Instant to = from.plusMillis(500);
    long expected = all.stream().filter(e -> !e.getTimestamp().isBefore(from) && e.getTimestamp().isBefore(to)).count();
    Path jsonl = dir.resolve("events.jsonl");
    Path csv = dir.resolve("events.csv");

    CliRun lines = cli("audit", "export", "--from", from.toString(), "--to", to.toString(), "--plan", "diamond",
        "--output", jsonl.toString());
    CliRun table = cli("audit", "export", "--from", from.toString(), "--to", to.toString(), "--format", "csv",
        "--output", csv.toString());
    CliRun otherPlan = cli("audit", "export", "--plan", "no-such-plan");

    assertThat(lines.exitCode()).as(lines.toString()).isZero();
    assertThat(Files.readAllLines(jsonl, StandardCharsets.UTF_8)).hasSize((int) expected)
        .allSatisfy(line -> assertThat(new ObjectMapper().readTree(line).get("timestamp").asText()).isNotEmpty());
    assertThat(csvRecords(Files.readString(csv, StandardCharsets.UTF_8))).as("header and rows").isEqualTo(expected + 1);
    assertThat(otherPlan.out()).isEmpty();
    assertThat(otherPlan.err()).contains("Exported 0 events");
  }

  @Test
  void aCorruptRecordInTheLogIsReportedWithItsOffsetAndEveryCommandGoesOn(@TempDir Path dir) {
    String id = id(11);
    RecordMetadata corrupt = write(groundcontrol.topics().missionEvents(), 0, id, "{not avro".getBytes(StandardCharsets.UTF_8));
    String where = corrupt.topic() + "-" + corrupt.partition() + " offset " + corrupt.offset()
        + ": Expected a single-object encoded MissionEvent";

    List<CliRun> runs = List.of(
        cli("audit", "mission", id),
        cli("audit", "export", "--output", dir.resolve("all.jsonl").toString()),
        cli("mission", "show", id, "--as-of", Instant.now().toString()),
        cli("replay", "--verify"));

    assertThat(runs).allSatisfy(run -> {
      assertThat(run.exitCode()).as(run.toString()).isZero();
      assertThat(run.err()).as(run.toString()).contains("warning: " + where);
    });
    assertThat(runs.get(0).out()).contains("Mission " + id + ": ");
  }

  @Test
  void replayedInputsReproduceMissionsOnAnotherPrefix(@TempDir Path stateDir) {
    TopicNames target = new TopicNames(KAFKA.uniquePrefix("audit-replay"));
    String retriedAndSkipped = log.keySet().stream().sorted()
        .filter(id -> planned(index(id)) == Outcome.RETRIES_AND_SKIPS && retriesFollowTheirFailure(log.get(id)))
        .findFirst().orElseThrow(() -> new AssertionError("no mission with retries and skips that a replay can pace"));
    List<String> ids = List.of(id(1), id(3), id(7), id(5), retriedAndSkipped);
    CoordinatorConfig config = CoordinatorConfig.defaults(groundcontrol.bootstrapServers(), stateDir)
        .withTopics(target, target.prefix() + "-coordinator");

    long begin = System.nanoTime();
    try (Coordinator replaying = Coordinator.start(config, new TopicSetup(2, (short) 1), Duration.ofSeconds(60))) {
      System.out.printf("Replay coordinator started in %d ms%n", (System.nanoTime() - begin) / 1_000_000);
      for (String id : ids) {
        long replayBegin = System.nanoTime();
        CliRun run = cli("replay", "inputs", "--mission", id, "--to-prefix", target.prefix());
        System.out.printf("replay inputs --mission %s (%d ms):%n%s", id, (System.nanoTime() - replayBegin) / 1_000_000,
            run.out());
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).contains(": identical (", "Final state: equal to the original, field by field");
      }
      // The replay ran on the present clock (see ReplayPacer), so its events carry the original
      // times plus a shift that never decreases; with the shift off, they are the original events.
      Map<String, MissionState> replayed = new LinkedHashMap<>();
      try (MissionLog replayLog = new MissionLog(groundcontrol.connection(), target)) {
        for (String id : ids) {
          List<MissionEvent> original = log.get(id).stream().filter(e -> e.getSequence() > 0).toList();
          List<MissionEvent> events = replayLog.readMission(id, problem -> {
            throw new AssertionError(problem);
          }).stream().filter(e -> e.getSequence() > 0).toList();
          assertThat(events).as("events replayed for " + id).hasSameSizeAs(original);
          Duration previous = Duration.ZERO;
          for (int i = 0; i < events.size(); i++) {
            if (original.get(i).getCause().getKind() == CauseKind.TIMER) {
              // Fired by the replaying coordinator's own clock: equal but for the fire time (see ReplayPacer).
              assertThat(ReplayPacer.atFireTimeOf(original.get(i), events.get(i))).isEqualTo(original.get(i));
              continue;
            }
            Duration shift = Duration.between(original.get(i).getTimestamp(), events.get(i).getTimestamp());
            assertThat(shift).as("shift of event " + (i + 1)).isGreaterThanOrEqualTo(previous);
            assertThat(TimeShift.shift(events.get(i), shift.negated())).isEqualTo(original.get(i));
            previous = shift;
          }
          replayed.put(id, stagesByName(MissionStateCodec.toStored(new EventAppliers().replay(events))));
        }
      }
      try (StoreChangelog store = StoreChangelog.open(groundcontrol.connection(), target.prefix() + "-coordinator",
          new TopicNames(target.prefix()).plans())) {
        assertThat(store.read(problem -> {
          throw new AssertionError(problem);
        }).missions()).as("the replaying coordinator's store, against its own log").isEqualTo(replayed);
      }
      assertThat(replayed.values()).extracting(s -> s.getStatus().name())
          .containsExactly("FINISHED", "FAILED", "CANCELLED", "FINISHED", "FINISHED");
    }
  }

  /**
   * Whether every retry the policy scheduled is the next thing that happened to the mission. A
   * paced replay sends an input only once the one before is answered, so an input that came within
   * the backoff in the original (here, the late report of the skipped stage) would meet a timer
   * that fired sooner, and the replay would diverge; such missions are not picked.
   */
  private static boolean retriesFollowTheirFailure(List<MissionEvent> events) {
    for (int i = 0; i < events.size() - 1; i++) {
      if (events.get(i).getEvent() instanceof StageRetryScheduled && events.get(i + 1).getCause().getKind() != CauseKind.TIMER) {
        return false;
      }
    }
    return true;
  }

  @Test
  void theMissionsHadRetriesSkipsManualRetriesCancelsAndFailures() {
    Map<String, Long> mix = new LinkedHashMap<>();
    mix.put("retried by policy", count(e -> e.getEvent() instanceof StageDispatched d && d.getAttempt() > 1
        && e.getCause().getKind() == CauseKind.TIMER));
    mix.put("retried by command", count(e -> e.getEvent() instanceof MissionResumed));
    mix.put("skipped by command", count(e -> e.getEvent() instanceof StageSkipped && e.getCause().getKind() == CauseKind.COMMAND));
    mix.put("cancelled", count(e -> e.getEvent() instanceof MissionCancelled));
    mix.put("failed", log.values().stream().filter(events -> new EventAppliers().replay(
        events.stream().filter(e -> e.getSequence() > 0).toList()).status().name().equals("FAILED")).count());
    mix.put("finished", count(e -> e.getEvent() instanceof MissionFinished));
    System.out.println("Mission mix: " + mix);

    assertThat(mix).containsExactly(Map.entry("retried by policy", 50L), Map.entry("retried by command", 50L),
        Map.entry("skipped by command", 50L), Map.entry("cancelled", 50L), Map.entry("failed", 50L),
        Map.entry("finished", 400L));
    assertThat(log.get(id(9))).extracting(e -> e.getEvent().getClass().getSimpleName())
        .contains("StageRetryScheduled", "StageSkipped", "InputRejected");
  }

  /** Missions with at least one event matching. */
  private long count(java.util.function.Predicate<MissionEvent> matches) {
    return log.values().stream().filter(events -> events.stream().anyMatch(matches)).count();
  }

  /** Records in RFC 4180 text: line ends outside quotes (stack traces inside quotes span lines). */
  private static long csvRecords(String text) {
    long records = 0;
    boolean quoted = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '"') {
        quoted = !quoted;
      } else if (c == '\n' && !quoted) {
        records++;
      }
    }
    return records;
  }

  private CliRun cli(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--bootstrap-servers", groundcontrol.bootstrapServers(), "--topic-prefix",
        groundcontrol.topics().prefix()));
    return CliRun.of(all.toArray(String[]::new));
  }

  private String changelog() {
    return StoreChangelog.topic(groundcontrol.topics().prefix() + "-coordinator");
  }

  /**
   * Waits until every mission whose running attempt a command stopped (a cancel in 'train', a skip
   * of 'features') has the worker's report of the interrupted attempt, rejected, in its log.
   */
  private void awaitLateReports(List<String> stopped) {
    Set<String> waiting = new HashSet<>(stopped);
    Map<String, String> stoppedStage = new HashMap<>();
    try (MissionLog reader = new MissionLog(groundcontrol.connection(), groundcontrol.topics())) {
      Map<org.apache.kafka.common.TopicPartition, Long> beginning = new HashMap<>();
      reader.partitions().forEach(p -> beginning.put(p, 0L));
      boolean done = reader.follow(beginning, event -> {
        if (event.getEvent() instanceof MissionCancelled) {
          stoppedStage.put(event.getMissionId(), "train");
        } else if (event.getEvent() instanceof StageSkipped skipped && event.getCause().getKind() == CauseKind.COMMAND) {
          stoppedStage.put(event.getMissionId(), skipped.getStage());
        } else if (stoppedStage.containsKey(event.getMissionId()) && event.getEvent() instanceof InputRejected rejected
            && rejected.getInput().startsWith("fail stage '" + stoppedStage.get(event.getMissionId()) + "'")) {
          waiting.remove(event.getMissionId());
        }
        return !waiting.isEmpty();
      }, problem -> {
        throw new AssertionError(problem);
      }, Duration.ofSeconds(60));
      assertThat(done).as("late reports of " + waiting).isTrue();
    }
  }

  private ConsumerRecord<String, byte[]> latestStored(String id) {
    AtomicReference<ConsumerRecord<String, byte[]>> latest = new AtomicReference<>();
    try (TopicSnapshot snapshot = TopicSnapshot.open(groundcontrol.connection(), changelog(), "")) {
      snapshot.forEach(record -> {
        if (id.equals(record.key())) {
          latest.set(record);
        }
      });
    }
    return latest.get();
  }

  /**
   * Every state the coordinator stored for these missions, in order: a transition writes the stages
   * it changed and then the header, so each header record completes one stored state.
   */
  private Map<String, List<MissionState>> storedHistory(Set<String> ids) {
    Map<String, List<MissionState>> history = new HashMap<>();
    Map<String, Map<String, StoredStage>> stages = new HashMap<>();
    MissionPlan diamond = CompiledPlan.of(plan().build());
    PlanVersions plans = (name, version) -> Optional.of(diamond).filter(p -> p.name().equals(name) && p.version().equals(version));
    try (TopicSnapshot snapshot = TopicSnapshot.open(groundcontrol.connection(), changelog(), "")) {
      snapshot.forEach(record -> {
        String key = record.key();
        String id = StageKeys.isStageKey(key) ? StageKeys.missionIdOf(key) : key;
        if (!ids.contains(id)) {
          return;
        }
        SpecificRecord value = MissionStoreSerde.INSTANCE.decode(record.value());
        if (value instanceof StoredStage stage) {
          stages.computeIfAbsent(id, k -> new TreeMap<>()).put(stage.getName(), stage);
        } else if (value instanceof MissionState whole) {
          history.computeIfAbsent(id, k -> new ArrayList<>()).add(whole);
        } else {
          history.computeIfAbsent(id, k -> new ArrayList<>()).add(
              MissionStore.withImplicitStages((MissionHeader) value,
                  new ArrayList<>(stages.getOrDefault(id, Map.of()).values()), plans));
        }
      });
    }
    return history;
  }

  /** The state with its stages in name order, as the store keeps them. */
  private static MissionState stagesByName(MissionState state) {
    List<StoredStage> sorted = new ArrayList<>(state.getStages());
    sorted.sort(java.util.Comparator.comparing(StoredStage::getName));
    return MissionState.newBuilder(state).setStages(sorted).build();
  }

  /** Size of a topic's log segments on the broker, summed over its partitions. */
  private static long bytesOnDisk(String topic) {
    try {
      List<Integer> brokers = KAFKA.admin().describeCluster().nodes().get(30, TimeUnit.SECONDS).stream().map(n -> n.id()).toList();
      long bytes = 0;
      for (var dirs : KAFKA.admin().describeLogDirs(brokers).allDescriptions().get(30, TimeUnit.SECONDS).values()) {
        for (var dir : dirs.values()) {
          for (var replica : dir.replicaInfos().entrySet()) {
            if (replica.getKey().topic().equals(topic)) {
              bytes += replica.getValue().size();
            }
          }
        }
      }
      return bytes;
    } catch (Exception e) {
      throw new AssertionError("Could not size " + topic, e);
    }
  }

  private RecordMetadata write(String topic, int partition, String key, byte[] value) {
    Map<String, Object> props = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, groundcontrol.bootstrapServers());
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
      return producer.send(new ProducerRecord<>(topic, partition, key, value)).get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("Could not write to " + topic, e);
    }
  }
}
