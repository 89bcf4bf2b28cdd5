package io.groundcontrol.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.groundcontrol.audit.CliRun;
import io.groundcontrol.client.SchedulePublisher;
import io.groundcontrol.schedule.ScheduleFile;
import io.groundcontrol.schema.OverlapPolicy;
import io.groundcontrol.schema.Schedule;
import io.groundcontrol.testing.GroundcontrolFixture;
import io.groundcontrol.testing.KafkaBrokerExtension;
import io.groundcontrol.testing.Poll;
import io.groundcontrol.worker.api.NonRetryableStageException;
import io.groundcontrol.worker.api.StageResult;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The components and schedules routes and the metrics over real HTTP against a real broker, with
 * two coordinator instances: each request goes to either (the schedule list gathers both
 * instances' partitions; a schedule is read where it is owned), every error status.
 */
class ComponentsAndSchedulesIT {
  @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();
  private static final Duration LONG = Duration.ofSeconds(90);
  private static final String QUICK = """
      {"name": "quick", "stages": [{"name": "only", "component": "warehouse"}]}""";
  private static final String QUEUES = """
      {"name": "queues", "stages": [{"name": "held", "component": "capped"}]}""";
  private static final String BREAKS = """
      {"name": "breaks", "stages": [{"name": "bad", "component": "failing"}]}""";
  private static final List<String> SCHEDULES = List.of("hourly", "filed", "alpha", "bravo", "charlie", "delta");
  private static final Instant START = Instant.now().truncatedTo(ChronoUnit.HOURS).plus(Duration.ofDays(2));

  private static GroundcontrolFixture groundcontrol;
  private static ApiInstance a;
  private static ApiInstance b;
  private static String admin;
  private static String operator;
  private static String viewer;

  @BeforeAll
  static void startTwoInstances() {
    groundcontrol = new GroundcontrolFixture(KAFKA, "ops-api");
    a = ApiInstance.start(groundcontrol.coordinatorConfig(), 2);
    b = ApiInstance.start(groundcontrol.coordinatorConfig(), 2);
    TestKeys keys = TestKeys.create(groundcontrol);
    admin = keys.admin();
    operator = keys.operator();
    viewer = keys.viewer();
    // The list answers once every partition has a running owner: the two instances' group has settled.
    ApiInstance.awaitEverywhere(List.of(a, b), "/api/v1/missions", viewer);
    groundcontrol.worker("warehouse", 2, ctx -> StageResult.finished());
    groundcontrol.worker("capped", 2, ctx -> {
      new CountDownLatch(1).await(120, TimeUnit.SECONDS);
      return StageResult.finished();
    });
    groundcontrol.worker("failing", 1, ctx -> {
      throw new NonRetryableStageException("broken on purpose");
    });
    ApiInstance.applyPlans(List.of(a, b), admin, List.of(QUICK, QUEUES, BREAKS));
    List<Schedule> schedules = new ArrayList<>();
    for (String name : SCHEDULES) {
      // Interval schedules start two days from now: no fire of their own comes during the test.
      Schedule.Builder schedule = Schedule.newBuilder().setName(name).setPlan("quick").setOverlap(OverlapPolicy.ALLOW);
      if (name.equals("filed")) {
        schedule.setCron("0 6 1 */3 *").setTimeZone("UTC").setPaused(true);
      } else {
        schedule.setEveryMs(Duration.ofHours(1).toMillis()).setStartAt(START);
      }
      schedules.add(schedule.build());
    }
    try (SchedulePublisher publisher = new SchedulePublisher(groundcontrol.connection(), groundcontrol.topics(), 2)) {
      publisher.apply(new ScheduleFile(schedules, List.of()));
    }
  }

  @AfterAll
  static void stop() {
    groundcontrol.close();
    b.close();
    a.close();
  }

  @Test
  void componentSettingsAreAppliedByAdminsWithTheCliProblems() {
    String settings = "capped:\n  max_running: 1\n  weights: {queues: 2}\n";
    Http.post(a.base() + "/api/v1/components", null, settings, "application/yaml").expect(401);
    Http.post(a.base() + "/api/v1/components", viewer, settings, "application/yaml").expect(403);
    assertThat(Http.post(b.base() + "/api/v1/components", operator, settings, "application/yaml").expect(403).json()
        .get("error").asText()).contains("role ADMIN").contains("OPERATOR");

    JsonNode problems = Http.post(a.base() + "/api/v1/components", admin,
        "gpu:\n  max_running: fifteen\n  wieghts: {}\n", "application/yaml").expect(400).json();
    assertThat(problems.get("error").asText()).isEqualTo("Expected valid component settings, but found 2 problems");
    List<String> lines = new ArrayList<>();
    problems.get("problems").forEach(line -> lines.add(line.asText()));
    assertThat(lines).containsExactlyInAnyOrder(
        "request body: component 'gpu', field 'max_running': expected a whole number of at least 0, but got \"fifteen\"",
        "request body: component 'gpu', field 'wieghts': unknown field; did you mean 'weights'? (known: max_running, weights)");
    Http.post(a.base() + "/api/v1/components", admin, "[1, 2]", "application/json").expect(400);

    JsonNode applied = Http.post(b.base() + "/api/v1/components", admin,
        "{\"capped\": {\"max_running\": 1, \"weights\": {\"queues\": 2}}}", "application/json").expect(200).json();
    assertThat(applied.get("applied").get(0).get("component").asText()).isEqualTo("capped");
    assertThat(applied.get("applied").get(0).get("maxRunning").asInt()).isEqualTo(1);
  }

  @Test
  void componentsShowCapsQueuesAndLiveWorkersThroughEitherInstanceAndInTheMetrics() {
    Http.post(a.base() + "/api/v1/components", admin, "capped: {max_running: 1, weights: {queues: 2}}\n",
        "application/yaml").expect(200);
    Http.poll(b.base() + "/api/v1/components", viewer, r -> capOf(r.json(), "capped") == 1, LONG);
    List<String> held = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      held.add(Http.post((i % 2 == 0 ? a : b).base() + "/api/v1/missions", operator, "{\"plan\": \"queues\"}")
          .expect(201).json().get("missionId").asText());
    }

    for (ApiInstance instance : List.of(a, b)) {
      JsonNode capped = component(Http.poll(instance.base() + "/api/v1/components", viewer, r -> {
        JsonNode c = component(r.json(), "capped");
        return c != null && c.get("running").asInt() == 1 && c.get("queued").asInt() == 2;
      }, LONG).json(), "capped");
      assertThat(capped.get("maxRunning").asInt()).isEqualTo(1);
      assertThat(capped.get("weights").get("queues").asInt()).isEqualTo(2);
      assertThat(Instant.parse(capped.get("oldestQueuedAt").asText())).isBefore(Instant.now().plusSeconds(1));
      assertThat(capped.get("oldestQueuedAgeSeconds").asLong()).isGreaterThanOrEqualTo(0);
      assertThat(capped.get("liveWorkers").size()).isGreaterThanOrEqualTo(1);
      JsonNode warehouse = component(Http.get(instance.base() + "/api/v1/components", viewer).expect(200).json(),
          "warehouse");
      assertThat(warehouse.get("maxRunning").isNull()).as("no cap").isTrue();
      assertThat(warehouse.get("liveWorkers").size()).isGreaterThanOrEqualTo(1);
    }
    Http.get(a.base() + "/api/v1/components", null).expect(401);

    String metrics = Http.poll(a.base() + "/metrics", viewer,
        r -> value(r.body(), "groundcontrol_component_queued", "component=\"capped\"") == 2.0, LONG).body();
    assertThat(value(metrics, "groundcontrol_component_running", "component=\"capped\"")).isEqualTo(1.0);
    assertThat(value(metrics, "groundcontrol_component_max_running", "component=\"capped\"")).isEqualTo(1.0);
    assertThat(value(metrics, "groundcontrol_component_oldest_queued_age_seconds", "component=\"capped\""))
        .isGreaterThanOrEqualTo(0.0);

    for (String id : held) {
      Http.post(b.base() + "/api/v1/missions/" + id + "/cancel", operator, "{}").expect(200);
    }
    Http.poll(b.base() + "/metrics", viewer,
        r -> value(r.body(), "groundcontrol_component_queued", "component=\"capped\"") == 0.0, LONG);
  }

  @Test
  void metricsCountMissionsAndStageDurationsByComponentBesideKafkaStreamsOwn() {
    String finished = Http.post(a.base() + "/api/v1/missions", operator, "{\"plan\": \"quick\"}").expect(201).json()
        .get("missionId").asText();
    String failed = Http.post(b.base() + "/api/v1/missions", operator, "{\"plan\": \"breaks\"}").expect(201).json()
        .get("missionId").asText();
    awaitStatus(finished, "FINISHED");
    awaitStatus(failed, "FAILED");

    // Each instance counts the missions it owns: the sum over both counts each once.
    awaitSum("groundcontrol_missions_started_total", "", 2.0);
    awaitSum("groundcontrol_missions_finished_total", "", 1.0);
    awaitSum("groundcontrol_missions_failed_total", "", 1.0);
    awaitSum("groundcontrol_stage_duration_seconds_count", "component=\"warehouse\"", 1.0);
    awaitSum("groundcontrol_stage_duration_seconds_count", "component=\"failing\"", 1.0);
    String metricsA = Http.get(a.base() + "/metrics", viewer).expect(200).body();
    String metricsB = Http.get(b.base() + "/metrics", viewer).expect(200).body();
    assertThat(metricsA + metricsB)
        .contains("groundcontrol_stage_duration_seconds_sum{component=\"warehouse\",outcome=\"finished\"}")
        .contains("groundcontrol_stage_duration_seconds_sum{component=\"failing\",outcome=\"failed\"}");
    for (String metrics : List.of(metricsA, metricsB)) {
      assertThat(metrics).containsPattern("(?m)^kafka_stream_thread_").contains("jvm_memory_used_bytes");
    }
  }

  @Test
  void schedulesAreListedFromBothInstancesWithNextFiresAndPauses() {
    for (ApiInstance instance : List.of(a, b)) {
      JsonNode list = Http.poll(instance.base() + "/api/v1/schedules", viewer,
          r -> r.status() == 200 && r.json().get("schedules").size() == SCHEDULES.size(), LONG).json();
      assertThat(list.get("schedules").findValuesAsText("name"))
          .containsExactly("alpha", "bravo", "charlie", "delta", "filed", "hourly");
    }
    JsonNode alpha = Http.get(a.base() + "/api/v1/schedules/alpha", viewer).expect(200).json();
    assertThat(alpha.get("when").asText()).isEqualTo("every 1h");
    assertThat(alpha.get("plan").asText()).isEqualTo("quick");
    assertThat(alpha.get("paused").asBoolean()).isFalse();
    List<Instant> next = new ArrayList<>();
    alpha.get("nextFires").forEach(f -> next.add(Instant.parse(f.asText())));
    assertThat(next).containsExactly(START, START.plus(Duration.ofHours(1)), START.plus(Duration.ofHours(2)));
    assertThat(alpha.get("startAt").asText()).isEqualTo(START.toString());
    assertThat(alpha.get("lastMissionId").isNull()).isTrue();

    JsonNode filed = Http.get(b.base() + "/api/v1/schedules/filed", viewer).expect(200).json();
    assertThat(filed.get("when").asText()).isEqualTo("0 6 1 */3 * UTC");
    assertThat(filed.get("paused").asBoolean()).isTrue();
    assertThat(filed.get("pausedInFile").asBoolean()).isTrue();
    assertThat(filed.get("pausedBy").asText()).isEqualTo("schedules file");
    assertThat(filed.get("nextFires").size()).isZero();

    Http.get(a.base() + "/api/v1/schedules", null).expect(401);
    Http.get(a.base() + "/api/v1/schedules/no-such-schedule", viewer).expect(404);
  }

  @Test
  void schedulesArePausedWithAReasonResumedAndFiredByOperatorsOnly() {
    String hourly = "/api/v1/schedules/hourly";
    Http.poll(a.base() + hourly, viewer, r -> r.status() == 200, LONG);

    Http.post(a.base() + hourly + "/pause", null, "{}").expect(401);
    assertThat(Http.post(b.base() + hourly + "/pause", viewer, "{\"reason\": \"no\"}").expect(403).json()
        .get("error").asText()).contains("role OPERATOR").contains("VIEWER");
    Http.post(a.base() + hourly + "/resume", viewer, "{}").expect(403);
    Http.post(a.base() + hourly + "/trigger", viewer, "{}").expect(403);
    Http.post(a.base() + hourly + "/pause", operator, "{\"why\": \"typo\"}").expect(400);
    Http.post(a.base() + hourly + "/pause", operator, "not json").expect(400);
    Http.post(a.base() + hourly + "/trigger", operator, "{\"params\": 5}").expect(400);
    for (String command : List.of("pause", "resume", "trigger")) {
      assertThat(Http.post(b.base() + "/api/v1/schedules/no-such-schedule/" + command, operator, "{}").expect(404)
          .json().get("error").asText()).isEqualTo("Expected schedule 'no-such-schedule' to be applied, but it is unknown");
    }

    JsonNode paused = Http.post(b.base() + hourly + "/pause", operator, "{\"reason\": \"warehouse upgrade\"}")
        .expect(200).json();
    assertThat(paused.get("paused").asBoolean()).isTrue();
    assertThat(paused.get("pausedBy").asText()).isEqualTo("test-operator");
    assertThat(paused.get("pauseReason").asText()).isEqualTo("warehouse upgrade");
    assertThat(paused.get("nextFires").size()).isZero();
    assertThat(Http.get(a.base() + hourly, viewer).expect(200).json().get("pauseReason").asText())
        .isEqualTo("warehouse upgrade");

    JsonNode resumed = Http.post(a.base() + hourly + "/resume", operator, "").expect(200).json();
    assertThat(resumed.get("paused").asBoolean()).isFalse();
    assertThat(resumed.get("pausedBy").isNull()).isTrue();
    assertThat(resumed.get("nextFires").size()).isEqualTo(3);
    assertThat(Http.post(b.base() + hourly + "/resume", operator, "{}").expect(409).json().get("error").asText())
        .isEqualTo("Expected schedule 'hourly' to be paused by a command, but it is not paused");
    assertThat(Http.post(b.base() + "/api/v1/schedules/filed/resume", operator, "{}").expect(409).json()
        .get("error").asText()).endsWith("but it is paused in the schedules file");

    JsonNode fired = Http.post(a.base() + hourly + "/trigger", operator, "{\"params\": {}}").expect(201).json();
    String missionId = fired.get("missionId").asText();
    assertThat(missionId).startsWith("s.hourly.manual-");
    assertThat(fired.get("schedule").get("lastMissionId").asText()).isEqualTo(missionId);
    awaitStatus(missionId, "FINISHED");
    JsonNode after = Http.poll(b.base() + hourly, viewer,
        r -> "FINISHED".equals(r.json().path("lastMissionStatus").asText()), LONG).json();
    assertThat(after.get("lastMissionId").asText()).isEqualTo(missionId);

    String row = "(?m)^hourly\\s+quick\\s+0\\s+every 1h\\s+\\S.*\\s" + Pattern.quote(missionId) + "\\s+FINISHED\\s*$";
    CliRun listed = scheduleList(a.api.baseUrl());
    assertThat(listed.exitCode()).as(listed.toString()).isZero();
    assertThat(listed.out()).as("from the scheduler's store").containsPattern(row);
    assertThat(listed.err()).doesNotContain("warning");
    CliRun rebuilt = scheduleList("http://127.0.0.1:1/api/v1");
    assertThat(rebuilt.exitCode()).as(rebuilt.toString()).isZero();
    assertThat(rebuilt.out()).as("from the logs, the mission's read from its fire on").containsPattern(row);
    assertThat(rebuilt.err()).contains("warning: Could not reach the API at http://127.0.0.1:1/api/v1")
        .contains("schedules are rebuilt from " + groundcontrol.topics().scheduleEvents());
  }

  private static CliRun scheduleList(String apiUrl) {
    return CliRun.of("schedule", "list", "--api-url", apiUrl, "--api-key", viewer,
        "--bootstrap-servers", groundcontrol.bootstrapServers(), "--topic-prefix", groundcontrol.topics().prefix());
  }

  private static void awaitStatus(String id, String status) {
    Http.poll(a.base() + "/api/v1/missions/" + id, viewer,
        r -> r.status() == 200 && r.json().get("status").asText().equals(status), LONG);
  }

  private static JsonNode component(JsonNode list, String name) {
    for (JsonNode c : list.path("components")) {
      if (c.get("component").asText().equals(name)) {
        return c;
      }
    }
    return null;
  }

  private static int capOf(JsonNode list, String name) {
    JsonNode c = component(list, name);
    return c == null || c.get("maxRunning").isNull() ? -1 : c.get("maxRunning").asInt();
  }

  /**
   * The value of the sample {@code name} whose labels contain {@code labels} (all of its samples
   * summed), in the Prometheus text format; NaN if there is none.
   */
  static double value(String metrics, String name, String labels) {
    Matcher samples = Pattern.compile("(?m)^" + Pattern.quote(name) + "(\\{([^}]*)\\})? (\\S+)$").matcher(metrics);
    double sum = 0;
    boolean found = false;
    while (samples.find()) {
      String sampleLabels = samples.group(2) == null ? "" : samples.group(2);
      if (sampleLabels.contains(labels)) {
        sum += Double.parseDouble(samples.group(3));
        found = true;
      }
    }
    return found ? sum : Double.NaN;
  }

  /** Polls the metrics of both instances until the sum of a sample over both reaches {@code atLeast}. */
  private static void awaitSum(String name, String labels, double atLeast) {
    Poll.until(() -> {
      double sum = 0;
      for (ApiInstance instance : List.of(a, b)) {
        double v = value(Http.get(instance.base() + "/metrics", viewer).expect(200).body(), name, labels);
        sum += Double.isNaN(v) ? 0 : v;
      }
      return sum >= atLeast;
    }, LONG, name + "{" + labels + "} summed over both instances to reach " + atLeast);
  }
}
