package io.groundcontrol.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.groundcontrol.client.LogFeed;
import io.groundcontrol.client.SchedulePublisher;
import io.groundcontrol.query.LocalPage;
import io.groundcontrol.query.MissionDocument;
import io.groundcontrol.query.MissionFilter;
import io.groundcontrol.query.MissionQueries;
import io.groundcontrol.query.Peers;
import io.groundcontrol.query.QueryUnavailableException;
import io.groundcontrol.query.ScheduleDocument;
import io.groundcontrol.query.ScheduleQueries;
import io.groundcontrol.schedule.ScheduleFile;
import io.groundcontrol.schema.Schedule;
import io.groundcontrol.schema.ScheduleEvent;
import io.groundcontrol.schema.wire.AvroSerde;
import io.groundcontrol.testing.GroundcontrolFixture;
import io.groundcontrol.testing.KafkaBrokerExtension;
import io.groundcontrol.worker.api.StageResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The statuses no healthy request answers, over real HTTP against a real broker: 500 for an
 * unexpected failure (injected behind the routes: the metrics are gone), a decided command's own
 * status when its mission or schedule cannot be read afterwards (injected: a partition moving), and 202 for a command
 * whose decision does not come within the wait: a schedule command whose answer the API does not
 * see (injected), and mission commands while the coordinator of the only instance is stopped.
 * Each queued command is still decided: the schedule by the running scheduler, the missions once
 * a coordinator runs again.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ApiStatusIT {
  @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();
  private static final Duration LONG = Duration.ofSeconds(90);
  private static final Duration COMMAND_WAIT = Duration.ofSeconds(3);

  private static GroundcontrolFixture groundcontrol;
  private static ApiInstance faulty;
  private static ApiInstance later;
  private static String operator;
  private static String admin;
  private static final List<AutoCloseable> closeAtEnd = new ArrayList<>();
  private static final AtomicInteger scheduleReadsBeforeMoving = new AtomicInteger(Integer.MAX_VALUE);

  @BeforeAll
  static void start() {
    groundcontrol = new GroundcontrolFixture(KAFKA, "api-status");
    faulty = ApiInstance.start(groundcontrol.coordinatorConfig(), 1, COMMAND_WAIT, ApiStatusIT::faults);
    TestKeys keys = TestKeys.create(groundcontrol);
    operator = keys.operator();
    admin = keys.admin();
    Http.poll(faulty.base() + "/api/v1/plans", operator, r -> r.status() == 200, LONG);
    groundcontrol.worker("warehouse", 1, ctx -> StageResult.finished());
    Http.post(faulty.base() + "/api/v1/plans", admin,
        "{\"name\": \"quick\", \"stages\": [{\"name\": \"only\", \"component\": \"warehouse\"}]}").expect(201);
    Http.poll(faulty.base() + "/api/v1/plans/quick", operator, r -> r.status() == 200, LONG);
  }

  /**
   * The faults behind the routes: no metrics, and schedule answers looked for in a log that has
   * none (the dead letters), so the scheduler's decisions never reach the waiting request.
   */
  private static Backend faults(Backend b) {
    SchedulePublisher publisher = new SchedulePublisher(b.kafka(), b.topics(), 1);
    LogFeed<ScheduleEvent> elsewhere = new LogFeed<>(b.kafka(), b.topics().deadLetters(),
        AvroSerde.of(ScheduleEvent.class).deserializer());
    ScheduleGateway deaf = new ScheduleGateway(publisher, elsewhere);
    closeAtEnd.addAll(List.of(deaf, elsewhere, publisher));
    return movingReads(b, deaf, null);
  }

  /** The backend with {@link #movingPeers} behind its reads, and these schedule commands and metrics. */
  private static Backend movingReads(Backend b, ScheduleGateway scheduleCommands, ApiMetrics metrics) {
    Peers peers = movingPeers(b);
    HostInfo elsewhereHost = new HostInfo("peer.invalid", 1);
    return new Backend(b.currentStreams(), b.restartDue(), b.stall(), b.hanging(), b.self(), b.kafka(), b.topics(),
        new MissionQueries(b.currentStreams(), elsewhereHost, b.topics(), 1, peers),
        new ScheduleQueries(b.currentStreams(), elsewhereHost, b.topics().schedules(), 1, peers), b.triggers(),
        b.keys(), b.feed(), b.commands(), scheduleCommands, b.plans(), b.planApplies(), b.components(), metrics, b.commandWait());
  }

  /**
   * Reads as if every partition were owned by a peer that answers from this instance's stores,
   * except for missions named {@code moving-*}, whose partition is moving: every read of them is
   * unavailable, as in a rebalance; and schedules named {@code moving-*}, which become unavailable
   * once {@link #scheduleReadsBeforeMoving} more reads of them have been answered.
   */
  private static Peers movingPeers(Backend b) {
    MissionQueries own = b.queries();
    ScheduleQueries ownSchedules = b.schedules();
    return new Peers() {
      @Override
      public Optional<MissionDocument> mission(HostInfo peer, String missionId, int partition, String credentials) {
        if (missionId.startsWith("moving-")) {
          throw new QueryUnavailableException("Partition " + partition + " is moving", Duration.ofSeconds(1));
        }
        return own.localMission(missionId, partition, false);
      }

      @Override
      public LocalPage page(HostInfo peer, MissionFilter filter, String cursor, int limit,
          Collection<Integer> partitions, String credentials) {
        return own.localPage(filter, cursor, limit, partitions);
      }

      @Override
      public List<ScheduleDocument> schedules(HostInfo peer, Collection<Integer> partitions, String credentials) {
        return ownSchedules.localList(partitions);
      }

      @Override
      public Optional<ScheduleDocument> schedule(HostInfo peer, String name, int partition, String credentials) {
        if (name.startsWith("moving-") && scheduleReadsBeforeMoving.getAndDecrement() <= 0) {
          throw new QueryUnavailableException("Partition " + partition + " is moving", Duration.ofSeconds(1));
        }
        return ownSchedules.localSchedule(name, partition);
      }
    };
  }

  @AfterAll
  static void stop() throws Exception {
    for (AutoCloseable resource : closeAtEnd) {
      resource.close();
    }
    groundcontrol.close();
    for (ApiInstance instance : new ApiInstance[] {later, faulty}) {
      if (instance != null) {
        instance.close();
      }
    }
  }

  @Test
  @Order(1)
  void anUnexpectedFailureAnswers500WithAnIncidentToLookUpAndNoStackTrace() {
    Http.Response failed = Http.get(faulty.base() + "/metrics", operator).expect(500);

    assertThat(failed.raw().headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
    JsonNode body = failed.json();
    assertThat(body.get("status").asInt()).isEqualTo(500);
    String incident = body.get("incident").asText();
    assertThat(incident).matches("[0-9a-f-]{36}");
    assertThat(body.get("error").asText()).isEqualTo("Expected to answer, but the request failed unexpectedly; "
        + "the coordinator's log has the details under incident " + incident);
    assertThat(failed.body()).doesNotContain("Exception").doesNotContain("io.groundcontrol").doesNotContain("\tat ");
    assertThat(Http.get(faulty.base() + "/metrics", operator).expect(500).json().get("incident").asText())
        .as("an incident of its own per failure").isNotEqualTo(incident);
    Http.get(faulty.base() + "/api/v1/plans", operator).expect(200);
  }

  @Test
  @Order(2)
  void aScheduleCommandWhoseAnswerDoesNotComeWithinTheWaitAnswers202AndIsStillDecided() {
    applyYearly(faulty, "hourly");

    JsonNode queued = Http.post(faulty.base() + "/api/v1/schedules/hourly/trigger", operator, "{}").expect(202).json();
    String missionId = queued.get("missionId").asText();
    assertThat(missionId).startsWith("s.hourly.manual-");
    assertThat(queued.get("message").asText()).isEqualTo("The command is queued, but the scheduler did not decide on "
        + "it within 3 s; list the schedules to see what it decides");
    Http.post(faulty.base() + "/api/v1/schedules/hourly/pause", operator, "{\"reason\": \"later\"}").expect(202);

    JsonNode decided = Http.poll(faulty.base() + "/api/v1/schedules/hourly", operator,
        r -> r.json().get("paused").asBoolean(), LONG).json();
    assertThat(decided.get("lastMissionId").asText()).as("the mission the 202 named").isEqualTo(missionId);
    assertThat(decided.get("pauseReason").asText()).isEqualTo("later");
    Http.poll(faulty.base() + "/api/v1/missions/" + missionId, operator,
        r -> r.status() == 200 && r.json().get("status").asText().equals("FINISHED"), LONG);
  }

  @Test
  @Order(3)
  void aDecidedCommandWhoseMissionCannotBeReadNowStillAnswersItsStatusAndWhereToReadIt() {
    JsonNode started = Http.post(faulty.base() + "/api/v1/missions", operator,
        "{\"plan\": \"quick\", \"missionId\": \"moving-1\"}").expect(201).json();

    assertThat(started.get("missionId").asText()).isEqualTo("moving-1");
    assertThat(started.get("message").asText()).isEqualTo("Decided, but the mission cannot be read here right now "
        + "(Partition 0 is moving); read it at /api/v1/missions/moving-1");
    assertThat(Http.get(faulty.base() + "/api/v1/missions/moving-1", operator).expect(503)
        .raw().headers().firstValue("Retry-After")).isPresent();
    JsonNode again = Http.post(faulty.base() + "/api/v1/missions", operator,
        "{\"plan\": \"quick\", \"missionId\": \"moving-1\"}").expect(200).json();
    assertThat(again.get("message").asText()).as("a repeated start is deduplicated, then read")
        .startsWith("Decided, but the mission cannot be read here right now");
  }

  @Test
  @Order(4)
  void aCommandNoCoordinatorDecidesWithinTheWaitAnswers202AndIsDecidedLater() {
    faulty.coordinator.close();

    JsonNode queued = Http.post(faulty.base() + "/api/v1/missions", operator, "{\"plan\": \"quick\"}").expect(202).json();
    String id = queued.get("missionId").asText();
    assertThat(queued.get("message").asText()).isEqualTo("The command is queued, but the coordinator did not decide on it "
        + "within 3 s; follow the mission to see what it decides");
    Http.post(faulty.base() + "/api/v1/missions/" + id + "/cancel", operator, "{\"reason\": \"changed my mind\"}")
        .expect(202);
    Http.Response unreadable = Http.get(faulty.base() + "/api/v1/missions/" + id, operator).expect(503);
    assertThat(unreadable.raw().headers().firstValue("Retry-After")).isPresent();
    assertThat(unreadable.json().get("error").asText()).startsWith("The coordinator of this instance is not running");

    later = ApiInstance.start(groundcontrol.coordinatorConfig(), 1, COMMAND_WAIT,
        b -> movingReads(b, b.scheduleCommands(), b.metrics()));
    JsonNode decided = Http.poll(later.base() + "/api/v1/missions/" + id, operator,
        r -> r.status() == 200 && !r.json().get("status").asText().equals("RUNNING"), LONG).json();
    assertThat(decided.get("status").asText()).isEqualTo("CANCELLED");
    assertThat(decided.get("reason").asText()).contains("changed my mind");
    assertThat(List.of(Http.get(later.base() + "/health/ready", null).status())).containsExactly(200);
  }

  @Test
  @Order(5)
  void aScheduleFiredWhileTheScheduleCannotBeReadAnswers201WithItsMissionNot503() {
    // On the instance started by the test before, whose scheduler answers (the first one's is deaf).
    applyYearly(later, "moving-yearly");
    scheduleReadsBeforeMoving.set(1);

    JsonNode fired = Http.post(later.base() + "/api/v1/schedules/moving-yearly/trigger", operator, "{}")
        .expect(201).json();

    scheduleReadsBeforeMoving.set(Integer.MAX_VALUE);
    String missionId = fired.get("missionId").asText();
    assertThat(missionId).startsWith("s.moving-yearly.manual-");
    assertThat(fired.get("schedule").get("message").asText()).isEqualTo("Decided, but the schedule cannot be read "
        + "here right now (Partition 0 is moving); read it at /api/v1/schedules/moving-yearly");
    Http.poll(later.base() + "/api/v1/missions/" + missionId, operator,
        r -> r.status() == 200 && r.json().get("status").asText().equals("FINISHED"), LONG);
  }

  /**
   * Applies a schedule of plan quick that fires once a year, so that no fire of its own comes during
   * a test, only the ones asked for; returns once {@code instance} shows it.
   */
  private static void applyYearly(ApiInstance instance, String name) {
    Schedule yearly = Schedule.newBuilder().setName(name).setPlan("quick").setCron("0 0 1 1 *").build();
    try (SchedulePublisher publisher = new SchedulePublisher(groundcontrol.connection(), groundcontrol.topics(), 1)) {
      publisher.apply(new ScheduleFile(List.of(yearly), List.of()));
    }
    Http.poll(instance.base() + "/api/v1/schedules/" + name, operator, r -> r.status() == 200, LONG);
  }
}
