package io.groundcontrol.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.client.ComponentBoard;
import io.groundcontrol.client.ComponentPublisher;
import io.groundcontrol.mission.TestPlan;
import io.groundcontrol.schema.AdmissionEntry;
import io.groundcontrol.schema.AdmissionRequest;
import io.groundcontrol.schema.SlotGrant;
import io.groundcontrol.schema.ComponentSettings;
import io.groundcontrol.schema.ComponentStatus;
import io.groundcontrol.schema.InputRejected;
import io.groundcontrol.schema.MissionEvent;
import io.groundcontrol.schema.MissionFinished;
import io.groundcontrol.schema.Plan;
import io.groundcontrol.schema.StageDispatched;
import io.groundcontrol.schema.StageFailed;
import io.groundcontrol.schema.StageFinished;
import io.groundcontrol.schema.wire.AvroSerde;
import io.groundcontrol.schema.wire.ReleasedSchemaSets;
import io.groundcontrol.testing.CliProcess;
import io.groundcontrol.testing.GroundcontrolFixture;
import io.groundcontrol.testing.KafkaBrokerExtension;
import io.groundcontrol.testing.StoreChangelogs;
import io.groundcontrol.testing.TestDirs;
import io.groundcontrol.worker.api.StageContext;
import io.groundcontrol.worker.api.StageResult;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.LongDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A global cap across coordinator instances, on a real broker: cap 15 on one component, two
 * coordinator processes sharing the partitions, a burst of missions, and workers with far more
 * capacity than 15. The cap is measured twice, by the workers' own concurrency counter and by
 * replaying dispatches and outcomes from the event log; then again with one instance SIGKILLed.
 *
 * <p>Mission counts come from {@code -Dadmission.it.missions} (default 2,000) and
 * {@code -Dadmission.it.killMissions} (default 500: the kill run waits out a failover), so a loaded machine can run fewer.
 * A third run stays far below its cap, where slots are leased to the missions' partitions and
 * handed on there ({@code -Dadmission.it.leaseMissions}, default 240), and kills an instance too.
 */
class AdmissionIT {
  @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

  private static final int CAP = 15;
  private static final int MISSIONS = Integer.getInteger("admission.it.missions", 2000);
  private static final int KILL_MISSIONS = Integer.getInteger("admission.it.killMissions", 500);
  private static final int LEASE_MISSIONS = Integer.getInteger("admission.it.leaseMissions", 240);
  private static final int LEASE_IN_FLIGHT = 24;
  private static final int LEASE_CAP = 40;

  private GroundcontrolFixture groundcontrol;
  private final List<CliProcess> coordinators = new ArrayList<>();
  private final AtomicInteger running = new AtomicInteger();
  private final AtomicInteger mostRunning = new AtomicInteger();
  private final AtomicInteger handled = new AtomicInteger();

  @AfterEach
  void tearDown() {
    coordinators.forEach(CliProcess::kill);
    if (groundcontrol != null) {
      groundcontrol.close();
    }
  }

  private void startTwoCoordinators(String name, List<String> firstInstanceOptions) throws Exception {
    startTwoCoordinators(name, CAP, TestPlan.named("load").stage("load", "bq").build(), context -> {},
        firstInstanceOptions);
  }

  private void startTwoCoordinators(String name, int cap, Plan plan, Consumer<StageContext> afterWork)
      throws Exception {
    startTwoCoordinators(name, cap, plan, afterWork, List.of());
  }

  /**
   * Two coordinator processes on 4 partitions, {@code component} capped at {@code cap}, and a worker
   * of 64 that counts attempts running at once, works 20 ms, and then calls {@code afterWork}. The
   * first instance is started with {@code firstInstanceOptions} too.
   */
  private void startTwoCoordinators(String name, int cap, Plan plan, Consumer<StageContext> afterWork,
      List<String> firstInstanceOptions) throws Exception {
    groundcontrol = new GroundcontrolFixture(KAFKA, name);
    for (int i = 0; i < 2; i++) {
      String[] base = groundcontrol.coordinatorCommandFailingOverQuickly(TestDirs.create("gc-admission-" + i + "-"));
      List<String> args = new ArrayList<>(List.of(base));
      int partitions = args.indexOf("--partitions");
      args.set(partitions + 1, "4");
      args.addAll(List.of("--standby-replicas", "1"));
      if (i == 0) {
        args.addAll(firstInstanceOptions);
      }
      coordinators.add(CliProcess.start(args.toArray(String[]::new)));
    }
    // Started together: they join the group at once, and the run waits for neither alone.
    for (CliProcess child : coordinators) {
      child.awaitOutput("running against", CliProcess.START);
    }
    try (ComponentPublisher publisher = new ComponentPublisher(groundcontrol.connection(), groundcontrol.topics(), 4)) {
      publisher.apply(List.of(new ComponentSettings("bq", cap, Map.of())));
    }
    groundcontrol.apply(plan);
    groundcontrol.worker("bq", 64, context -> {
      int now = running.incrementAndGet();
      mostRunning.accumulateAndGet(now, Math::max);
      try {
        Thread.sleep(20); // the work itself
      } finally {
        running.decrementAndGet();
        handled.incrementAndGet();
      }
      afterWork.accept(context);
      return StageResult.finished();
    });
  }

  /**
   * Mid-upgrade, too: the first instance writes the oldest released record schemas
   * ({@code --write-schemas}, README "Upgrading"), as the new build of a first roll does beside
   * the old one, and shares the group, the queue and the slots with an instance writing this build's.
   */
  @Test
  void twoInstancesNeverRunMoreThanTheCapWhileOneWritesAnOlderBuildsSchemas() throws Exception {
    String oldest = ReleasedSchemaSets.all().get(0).set().id();
    startTwoCoordinators("admission", List.of("--write-schemas", oldest));
    assertThat(coordinators.get(0).output()).contains("Writing record schemas " + oldest + " (--write-schemas)");
    List<String> missions = startBurst(MISSIONS);

    Instant began = Instant.now();
    Map<String, List<MissionEvent>> log = groundcontrol.awaitEnd(missions, Duration.ofMinutes(8));
    System.out.printf("cap %d, %d missions over two coordinator instances in %s; workers saw at most %d at once%n",
        CAP, MISSIONS, Duration.between(began, Instant.now()), mostRunning.get());

    assertAllFinishedOnceWithinTheCap(missions, log);
  }

  @Test
  void killingOneInstanceMidRunKeepsTheCapAndLosesNothing() throws Exception {
    startTwoCoordinators("admission-kill", List.of());
    List<String> missions = startBurst(KILL_MISSIONS);

    groundcontrol.awaitEventCount(StageFinished.class, KILL_MISSIONS / 4, Duration.ofMinutes(4));
    coordinators.get(0).kill();
    int handledAtKill = handled.get();
    Map<String, List<MissionEvent>> log = groundcontrol.awaitEnd(missions, Duration.ofMinutes(8));
    System.out.printf("cap %d: one of two coordinator instances SIGKILLed after %d of %d stages; workers saw at most %d "
        + "at once%n", CAP, handledAtKill, KILL_MISSIONS, mostRunning.get());

    assertThat(handledAtKill).as("killed mid-run").isLessThan(KILL_MISSIONS);
    assertAllFinishedOnceWithinTheCap(missions, log);
  }

  /**
   * Far below the cap, slots are leased to the missions' partitions and handed on there from stage
   * to stage and mission to mission without the admission; a SIGKILL mid-run must not lose, leak or
   * double one. A closed loop keeps 24 three-stage missions in flight (cap 40: leases up to 20, reclaimed above).
   */
  @Test
  void slotsHandedOnInTheMissionsPartitionsSurviveAKillAndAllComeBack() throws Exception {
    int total = LEASE_MISSIONS;
    List<String> missions = IntStream.range(0, total).mapToObj(i -> "e-" + i).toList();
    AtomicInteger started = new AtomicInteger(LEASE_IN_FLIGHT);
    Plan etl = TestPlan.named("etl").stage("extract", "bq").stage("transform", "bq", "extract")
        .stage("publish", "bq", "transform").build();
    startTwoCoordinators("admission-lease", LEASE_CAP, etl, context -> {
      if (context.stage().equals("publish")) {
        int next = started.getAndIncrement();
        if (next < total) {
          groundcontrol.start(missions.get(next), "etl");
        }
      }
    });
    missions.subList(0, LEASE_IN_FLIGHT).forEach(id -> groundcontrol.start(id, "etl"));

    groundcontrol.awaitEventCount(MissionFinished.class, total / 4, Duration.ofMinutes(4));
    coordinators.get(0).kill();
    int handledAtKill = handled.get();
    Map<String, List<MissionEvent>> log = groundcontrol.awaitEnd(missions, Duration.ofMinutes(8));
    System.out.printf("cap %d, %d in flight: one of two coordinator instances SIGKILLed after %d of %d stages; "
        + "workers saw at most %d at once%n", LEASE_CAP, LEASE_IN_FLIGHT, handledAtKill, 3 * total, mostRunning.get());

    assertThat(handledAtKill).as("killed mid-run").isLessThan(3 * total);
    assertAllFinishedOnce(missions, log, 3, LEASE_CAP);
  }

  private List<String> startBurst(int count) {
    List<String> missions = IntStream.range(0, count).mapToObj(i -> "m-" + i).toList();
    missions.forEach(id -> groundcontrol.start(id, "load"));
    return missions;
  }

  private void assertAllFinishedOnceWithinTheCap(List<String> missions, Map<String, List<MissionEvent>> log) {
    assertAllFinishedOnce(missions, log, 1, CAP);
  }

  /**
   * Every mission finished, each stage dispatched once, never more than {@code cap} attempts at
   * once, and, once all ended, no slot left held or request left queued.
   */
  private void assertAllFinishedOnce(List<String> missions, Map<String, List<MissionEvent>> log, int stages, int cap) {
    assertThat(mostRunning.get()).as("most attempts running at once, by the workers' counter").isBetween(1, cap);
    List<MissionEvent> all = new ArrayList<>();
    for (String id : missions) {
      List<MissionEvent> events = log.get(id);
      assertThat(events).extracting(MissionEvent::getEvent).as("events of " + id)
          .hasAtLeastOneElementOfType(MissionFinished.class)
          .noneMatch(InputRejected.class::isInstance)
          .noneMatch(StageFailed.class::isInstance)
          .filteredOn(StageDispatched.class::isInstance).as("dispatched once: " + id).hasSize(stages);
      all.addAll(events);
    }
    assertThat(mostAtOnceInTheLog(all)).as("most attempts running at once, by the event log").isBetween(1, cap);
    assertNoSlotHeldWithin(Duration.ofSeconds(30), log);
    assertNoCoordinatorLoggedAnError();
  }

  /**
   * Nothing went wrong unseen: an error in a punctuation is logged and skipped, and one (a lease
   * expiry reading a table entry after changing the table) once lost slots that way, in 1 run of 3.
   */
  private void assertNoCoordinatorLoggedAnError() {
    for (CliProcess coordinator : coordinators) {
      assertThat(coordinator.loggedErrors()).as("errors a coordinator logged").isEmpty();
    }
  }

  /** Reads the published status of bq until it shows no slot held and nothing queued. */
  private void assertNoSlotHeldWithin(Duration timeout, Map<String, List<MissionEvent>> log) {
    Instant deadline = Instant.now().plus(timeout);
    ComponentStatus last = null;
    while (Instant.now().isBefore(deadline)) {
      last = ComponentBoard.read(groundcontrol.connection(), groundcontrol.topics()).statuses().get("bq");
      if (last != null && last.getRunning() == 0 && last.getQueued() == 0) {
        return;
      }
    }
    throw new AssertionError("Expected no slot of 'bq' held and none queued within " + timeout + ", but the last "
        + "status was " + last + "; " + whereSlotsWereLeft(log));
  }

  /**
   * The admission's entries and counters and the missions' leases as their committed changelogs left
   * them, and what the log, the admission's requests and its grants say of each mission still holding a slot.
   */
  private String whereSlotsWereLeft(Map<String, List<MissionEvent>> log) {
    String app = groundcontrol.coordinatorConfig().applicationId();
    String servers = groundcontrol.bootstrapServers();
    Deserializer<AdmissionEntry> entryValues = AvroSerde.of(AdmissionEntry.class).deserializer();
    Deserializer<Long> longs = new LongDeserializer();
    Map<String, String> entries = StoreChangelogs.live(servers, app, CoordinatorTopology.ADMISSION_ENTRIES_STORE,
        bytes -> String.valueOf(entryValues.deserialize("", bytes)));
    Map<String, String> counts = StoreChangelogs.live(servers, app, CoordinatorTopology.ADMISSION_COUNTS_STORE,
        bytes -> String.valueOf(longs.deserialize("", bytes)));
    Map<String, String> leases = StoreChangelogs.live(servers, app, CoordinatorTopology.SLOT_LEASE_STORE,
        bytes -> new String(bytes, StandardCharsets.UTF_8).replace('\u0000', '|'));
    StringBuilder text = new StringBuilder("admission entries ").append(entries)
        .append("\nadmission counts ").append(counts)
        .append("\nslot leases in the missions' partitions ").append(leases);
    Set<String> holders = new TreeSet<>();
    entries.keySet().forEach(key -> holders.add(key.split("\\|")[1]));
    Deserializer<AdmissionRequest> requests = AvroSerde.of(AdmissionRequest.class).deserializer();
    for (String request : StoreChangelogs.records(servers, groundcontrol.topics().admissionRequests(), key -> true,
        bytes -> String.valueOf(requests.deserialize("", bytes)))) {
      if (holders.stream().anyMatch(id -> request.contains("\"" + id + "\""))) {
        text.append("\nrequest ").append(request);
      }
    }
    Deserializer<SlotGrant> grants = AvroSerde.of(SlotGrant.class).deserializer();
    StoreChangelogs.records(servers, groundcontrol.topics().admissionGrants(), holders::contains,
        bytes -> String.valueOf(grants.deserialize("", bytes))).forEach(grant -> text.append("\ngrant ").append(grant));
    for (String id : holders) {
      log.getOrDefault(id, List.of()).forEach(event -> text.append("\nevent ").append(event));
    }
    return text.toString();
  }

  /**
   * Replays dispatches (+1) and outcomes (-1) of every mission in time order. A grant is stamped
   * with the record that freed its slot, so at equal times the outcome counts first.
   */
  private static int mostAtOnceInTheLog(List<MissionEvent> events) {
    List<MissionEvent> changes = events.stream()
        .filter(e -> e.getEvent() instanceof StageDispatched || e.getEvent() instanceof StageFinished)
        .sorted(Comparator.comparing(MissionEvent::getTimestamp)
            .thenComparing(e -> e.getEvent() instanceof StageDispatched ? 1 : 0))
        .toList();
    int now = 0;
    int most = 0;
    for (MissionEvent change : changes) {
      now += change.getEvent() instanceof StageDispatched ? 1 : -1;
      most = Math.max(most, now);
    }
    return most;
  }
}
