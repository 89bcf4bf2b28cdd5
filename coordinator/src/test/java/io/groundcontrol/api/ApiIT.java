package io.groundcontrol.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.groundcontrol.apikey.Role;
import io.groundcontrol.client.ApiKeyRegistry;
import io.groundcontrol.testing.GroundcontrolFixture;
import io.groundcontrol.testing.KafkaBrokerExtension;
import io.groundcontrol.worker.api.NonRetryableStageException;
import io.groundcontrol.worker.api.StageResult;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The HTTP API over real HTTP against a real broker, with two coordinator instances: every route,
 * every error status, each request sent to either instance (one owns the mission, the other asks it).
 */
class ApiIT {
  @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();
  private static final Duration LONG = Duration.ofSeconds(90);
  private static final String QUICK = """
      {"name": "quick", "stages": [
        {"name": "extract", "component": "warehouse"},
        {"name": "load", "component": "warehouse", "upstream": ["extract"]}]}""";
  private static final String HOLD = """
      {"name": "hold", "stages": [{"name": "wait", "component": "slow"}]}""";
  private static final String ORPHAN = """
      {"name": "orphan", "stages": [{"name": "alone", "component": "nobody"}]}""";
  private static final String BREAKS = """
      {"name": "breaks", "stages": [
        {"name": "bad", "component": "failing"},
        {"name": "after", "component": "warehouse", "upstream": ["bad"]}]}""";
  private static final String NEEDS = """
      {"name": "needs", "params": {"date": {"description": "required"}},
       "stages": [{"name": "only", "component": "warehouse"}]}""";

  private static GroundcontrolFixture groundcontrol;
  private static ApiInstance a;
  private static ApiInstance b;
  private static String admin;
  private static String operator;
  private static String viewer;
  private static final List<String> issued = new ArrayList<>();

  @BeforeAll
  static void startTwoInstances() {
    groundcontrol = new GroundcontrolFixture(KAFKA, "api");
    a = ApiInstance.start(groundcontrol.coordinatorConfig(), 2);
    b = ApiInstance.start(groundcontrol.coordinatorConfig(), 2);
    TestKeys keys = TestKeys.create(groundcontrol);
    admin = keys.admin();
    operator = keys.operator();
    viewer = keys.viewer();
    issued.addAll(keys.all());
    // The list answers once every partition has a running owner: the two instances' group has settled.
    ApiInstance.awaitEverywhere(List.of(a, b), "/api/v1/missions", viewer);
    groundcontrol.worker("warehouse", 4, ctx -> StageResult.finished().output("rows", "42").output("note", "\"a,b\""));
    groundcontrol.worker("slow", 4, ctx -> {
      new CountDownLatch(1).await(120, TimeUnit.SECONDS);
      return StageResult.finished();
    });
    groundcontrol.worker("failing", 2, ctx -> {
      throw new NonRetryableStageException("broken on purpose");
    });
    ApiInstance.applyPlans(List.of(a, b), admin, List.of(QUICK, HOLD, ORPHAN, BREAKS, NEEDS));
  }

  @AfterAll
  static void stop() {
    groundcontrol.close();
    b.close();
    a.close();
  }

  @Test
  void healthNeedsNoKeyAndEverythingElseDoes() {
    Http.get(a.base() + "/health/live", null).expect(200);
    assertThat(Http.get(b.base() + "/health/ready", null).expect(200).json().get("streams").asText())
        .isIn("RUNNING", "REBALANCING");
    for (String path : List.of("/api/v1/missions", "/api/v1/plans", "/metrics", "/api/v1/openapi.json",
        "/api/v1/dead-letters", "/api/v1/missions/x", "/api/v1/missions/x/events/stream")) {
      Http.Response answer = Http.get(a.base() + path, null).expect(401);
      assertThat(answer.raw().headers().firstValue("WWW-Authenticate")).contains("Bearer");
    }
    Http.get(a.base() + "/api/v1/missions", "gc_000000000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA").expect(401);
    Http.get(a.base() + "/api/v1/missions", "not-a-key").expect(401);
  }

  @Test
  void rolesAreEnforced() {
    String id = start(b, "{\"plan\": \"hold\"}").expect(201).json().get("missionId").asText();

    assertThat(Http.post(a.base() + "/api/v1/missions/" + id + "/cancel", viewer, "{}").expect(403).json()
        .get("error").asText()).contains("role OPERATOR").contains("VIEWER");
    Http.post(a.base() + "/api/v1/missions", viewer, "{\"plan\": \"quick\"}").expect(403);
    Http.post(a.base() + "/api/v1/plans", operator, QUICK).expect(403);

    Http.post(b.base() + "/api/v1/missions/" + id + "/cancel", operator, "{\"reason\": \"test\"}").expect(200);
  }

  @Test
  void plansAreListedShownWithVersionsAndAppliedWithTheCliProblems() {
    JsonNode list = Http.get(b.base() + "/api/v1/plans", viewer).expect(200).json();
    assertThat(list.get("plans").findValuesAsText("name")).contains("quick", "hold", "breaks", "needs");

    JsonNode quick = Http.get(b.base() + "/api/v1/plans/quick", viewer).expect(200).json();
    String version = quick.get("version").asText();
    assertThat(quick.get("versions").get(0).asText()).isEqualTo(version);
    assertThat(quick.get("plan").get("stages").size()).isEqualTo(2);
    Http.get(a.base() + "/api/v1/plans/quick/versions/" + version, viewer).expect(200);
    Http.get(a.base() + "/api/v1/plans/quick/versions/nope", viewer).expect(404);
    Http.get(a.base() + "/api/v1/plans/no-such-plan", viewer).expect(404);

    JsonNode problems = Http.post(a.base() + "/api/v1/plans", admin, """
        {"name": "loop", "stages": [
          {"name": "x", "component": "warehouse", "upstream": ["y"]},
          {"name": "y", "component": "warehouse", "upstream": ["x"]},
          {"name": "z", "component": "warehouse", "upstream": ["missing"]}]}""").expect(400).json();
    assertThat(problems.get("problems").findValuesAsText("reason")).contains("CYCLE", "UNKNOWN_UPSTREAM");
    assertThat(problems.get("problems").findValuesAsText("message").toString()).contains("x -> y -> x");

    Http.post(a.base() + "/api/v1/plans", admin, "name: yaml-plan\nstages:\n  - name: s\n    component: warehouse\n",
        "application/yaml").expect(201);
    Http.post(a.base() + "/api/v1/plans", admin, "stages: [", "application/yaml").expect(400);

    // Versions newest applied first, whatever their hashes: "one" applied again after "two" and "three".
    List<String> applied = new ArrayList<>();
    for (String run : List.of("one", "two", "three", "one")) {
      applied.add(Http.post(a.base() + "/api/v1/plans", admin, "name: ordered\ndescription: " + run
          + "\nstages:\n  - name: s\n    component: warehouse\n", "application/yaml").expect(201).json()
          .get("version").asText());
    }
    List<String> newestFirst = List.of(applied.get(3), applied.get(2), applied.get(1));
    assertThat(newestFirst).as("the versions of this test in hash order would pass without the fix")
        .isNotEqualTo(newestFirst.stream().sorted().toList());
    JsonNode ordered = Http.poll(b.base() + "/api/v1/plans/ordered", viewer, r -> r.status() == 200
        && r.json().get("versions").size() == 3 && r.json().get("version").asText().equals(applied.get(3))
        && !r.json().get("applied").findValues("appliedAt").stream().anyMatch(JsonNode::isNull), LONG).json();
    assertThat(ordered.get("versions")).extracting(JsonNode::asText).containsExactlyElementsOf(newestFirst);
    assertThat(ordered.get("applied").findValuesAsText("version")).containsExactlyElementsOf(newestFirst);
    assertThat(Instant.parse(ordered.get("applied").get(0).get("appliedAt").asText()))
        .isAfterOrEqualTo(Instant.parse(ordered.get("applied").get(1).get("appliedAt").asText()));
  }

  @Test
  void aMissionStartedThroughOneInstanceIsReadThroughBothAndItsOutputsDownload() {
    JsonNode started = start(a, "{\"plan\": \"quick\", \"params\": {}}").expect(201).json();
    String id = started.get("missionId").asText();
    // The mission as read after its start was decided: its instant stages may have run by then.
    assertThat(started.get("status").asText()).isIn("RUNNING", "FINISHED");
    assertThat(started.get("stages").findValuesAsText("name")).containsExactly("extract", "load");

    JsonNode finished = awaitStatus(b, id, "FINISHED");
    assertThat(Http.get(a.base() + "/api/v1/missions/" + id, viewer).expect(200).json()).isEqualTo(finished);
    assertThat(finished.get("stages").findValuesAsText("status")).containsExactly("FINISHED", "FINISHED");

    JsonNode outputs = Http.get(b.base() + "/api/v1/missions/" + id + "/outputs", viewer).expect(200).json();
    assertThat(outputs.get("outputs").get("load").get("rows").asInt()).isEqualTo(42);
    assertThat(outputs.get("outputs").get("load").get("note").asText()).isEqualTo("a,b");
    Http.Response csv = Http.get(a.base() + "/api/v1/missions/" + id + "/outputs?format=csv", viewer).expect(200);
    assertThat(csv.raw().headers().firstValue("Content-Type").orElse("")).startsWith("text/csv");
    assertThat(csv.body()).startsWith("stage,output,value\r\n").contains("load,rows,42\r\n")
        .contains("load,note,\"\"\"a,b\"\"\"\r\n");
    Http.get(a.base() + "/api/v1/missions/" + id + "/outputs?format=xml", viewer).expect(400);

    JsonNode timeline = Http.get(b.base() + "/api/v1/missions/" + id + "/events", viewer).expect(200).json();
    List<String> kinds = timeline.get("events").findValuesAsText("kind");
    assertThat(kinds.get(0)).isEqualTo("MissionStarted");
    assertThat(kinds.get(kinds.size() - 1)).isEqualTo("MissionFinished");
    assertThat(timeline.get("events").get(0).get("cause.actor.id").asText()).isEqualTo("test-operator");
  }

  @Test
  void listsFilterByStatusAndPlanAndPageWithoutGapsOrRepeatsThroughEitherInstance() {
    List<String> held = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      held.add(start(i % 2 == 0 ? a : b, "{\"plan\": \"hold\"}").expect(201).json().get("missionId").asText());
    }
    for (ApiInstance instance : List.of(a, b)) {
      List<String> paged = new ArrayList<>();
      for (JsonNode m : everyPage(instance, "plan=hold&status=RUNNING&limit=3")) {
        assertThat(m.get("plan").asText()).isEqualTo("hold");
        assertThat(m.get("status").asText()).isEqualTo("RUNNING");
        paged.add(m.get("missionId").asText());
      }
      assertThat(paged).as("pages through " + instance.base()).doesNotHaveDuplicates().containsAll(held);
      assertThat(startTimes(instance, paged)).as("newest first").isSortedAccordingTo((x, y) -> y.compareTo(x));
    }
    JsonNode all = Http.get(a.base() + "/api/v1/missions?limit=500", viewer).expect(200).json();
    assertThat(all.get("missions").findValuesAsText("missionId")).containsAll(held);
    Http.get(a.base() + "/api/v1/missions?status=SLEEPING", viewer).expect(400);
    Http.get(a.base() + "/api/v1/missions?limit=0", viewer).expect(400);
    Http.get(a.base() + "/api/v1/missions?limit=many", viewer).expect(400);
    Http.get(a.base() + "/api/v1/missions?startedAfter=yesterday", viewer).expect(400);
    // Instants beyond what a millisecond count holds bound nothing, rather than failing the list.
    assertThat(Http.get(a.base() + "/api/v1/missions?startedAfter=%2B300000000-01-01T00:00:00Z", viewer).expect(200)
        .json().get("missions")).isEmpty();
    assertThat(Http.get(a.base() + "/api/v1/missions?plan=hold&startedBefore=%2B300000000-01-01T00:00:00Z&limit=500",
        viewer).expect(200).json().get("missions").findValuesAsText("missionId")).containsAll(held);
    Http.get(a.base() + "/api/v1/missions?startedAfter=-300000000-01-01T00:00:00Z", viewer).expect(200);
    // The instances' own page route holds to the same limit as the public one.
    Http.get(a.base() + "/internal/v1/missions?partitions=0&limit=-1", viewer).expect(400);
    Http.get(a.base() + "/internal/v1/missions?partitions=0&limit=501", viewer).expect(400);
    Http.get(a.base() + "/api/v1/missions?cursor=%25%25", viewer).expect(400);
    for (int i = 0; i < held.size(); i += 2) {
      Http.post(b.base() + "/api/v1/missions/" + held.get(i) + "/cancel", operator, "{}").expect(200);
    }
    // Without a status, a list merges the per-status ranges: pages still have no gaps or repeats.
    List<String> paged = new ArrayList<>();
    Set<String> statuses = new HashSet<>();
    for (JsonNode m : everyPage(b, "plan=hold&limit=2")) {
      paged.add(m.get("missionId").asText());
      statuses.add(m.get("status").asText());
    }
    assertThat(paged).doesNotHaveDuplicates().containsAll(held);
    assertThat(statuses).contains("RUNNING", "CANCELLED");
    assertThat(startTimes(b, paged)).as("newest first").isSortedAccordingTo((x, y) -> y.compareTo(x));
    for (int i = 1; i < held.size(); i += 2) {
      Http.post(b.base() + "/api/v1/missions/" + held.get(i) + "/cancel", operator, "{}").expect(200);
    }
  }

  @Test
  void refusedStartsSayWhyWithTheirStatus() {
    assertThat(start(a, "{\"plan\": \"no-such-plan\"}").expect(404).json().get("error").asText())
        .isEqualTo("Expected plan 'no-such-plan' to be applied, but it is unknown");
    assertThat(start(b, "{\"plan\": \"needs\"}").expect(400).json().get("error").asText())
        .startsWith("Expected params that plan 'needs' accepts");
    start(a, "{\"plan\": \"needs\", \"params\": {\"date\": \"2026-12-01\"}}").expect(201);
    start(a, "{\"plan\": \"quick\", \"exclude\": [\"nope\"]}").expect(400);
    start(a, "{}").expect(400);
    start(a, "{\"plan\": \"quick\", \"unknownField\": 1}").expect(400);
    start(a, "not json").expect(400);
    // JSON null parses to no object at all, and a null stage name cannot be encoded: each a 400, not a 500.
    assertThat(start(a, "null").expect(400).json().get("error").asText())
        .isEqualTo("Expected the body to be a JSON object, but got null");
    start(a, "{\"plan\": \"quick\", \"exclude\": [null]}").expect(400);
    start(a, "{\"plan\": \"quick\", \"startFrom\": [null]}").expect(400);
    Http.post(a.base() + "/api/v1/missions/any/cancel", operator, "null").expect(400);
    // Ids the API could not serve back: a path separator, an escape, an empty segment.
    for (String id : List.of("a/b", "a%2Fb", "50%", "", "..", "x".repeat(201))) {
      assertThat(start(a, "{\"plan\": \"quick\", \"missionId\": \"" + id + "\"}").expect(400).json()
          .get("error").asText()).as(id).startsWith("Expected a mission id of 1 to 200 letters");
    }

    String id = start(a, "{\"plan\": \"hold\", \"missionId\": \"fixed-id-1\"}").expect(201).json().get("missionId").asText();
    assertThat(start(b, "{\"plan\": \"quick\", \"missionId\": \"fixed-id-1\"}").expect(409).json().get("error").asText())
        .contains("to be new or of plan 'quick'");
    assertThat(start(b, "{\"plan\": \"hold\", \"missionId\": \"fixed-id-1\"}").expect(200).json().get("missionId").asText())
        .isEqualTo(id);
    Http.post(a.base() + "/api/v1/missions/" + id + "/cancel", operator, "{}").expect(200);
  }

  @Test
  void anIdempotencyKeyStartsOneMission() {
    HttpRequest.Builder first = HttpRequest.newBuilder(URI.create(a.base() + "/api/v1/missions"))
        .header("Content-Type", "application/json").header("Idempotency-Key", "order-42")
        .POST(HttpRequest.BodyPublishers.ofString("{\"plan\": \"hold\"}"));
    String id = Http.send(first, operator).expect(201).json().get("missionId").asText();

    JsonNode again = start(b, "{\"plan\": \"hold\", \"idempotencyKey\": \"order-42\"}").expect(200).json();

    assertThat(again.get("missionId").asText()).isEqualTo(id);
    Http.post(a.base() + "/api/v1/missions/" + id + "/cancel", operator, "{}").expect(200);
  }

  /** A start that does not wait for the decision (Prefer: respond-async) still starts one mission per key. */
  @Test
  void aStartThatDoesNotWaitForTheDecisionKeepsItsIdempotencyKey() {
    HttpRequest.Builder first = HttpRequest.newBuilder(URI.create(a.base() + "/api/v1/missions"))
        .header("Content-Type", "application/json").header("Idempotency-Key", "order-43")
        .header("Prefer", "respond-async").POST(HttpRequest.BodyPublishers.ofString("{\"plan\": \"hold\"}"));
    Http.Response queued = Http.send(first, operator).expect(202);
    String id = queued.json().get("missionId").asText();

    JsonNode again = start(b, "{\"plan\": \"hold\", \"idempotencyKey\": \"order-43\"}").expect(200).json();

    assertThat(queued.raw().headers().firstValue("Preference-Applied")).hasValue("respond-async");
    assertThat(again.get("missionId").asText()).isEqualTo(id);
    Http.post(a.base() + "/api/v1/missions/" + id + "/cancel", operator, "{}").expect(200);
  }

  @Test
  void unknownMissionsAre404AndCommandsInTheWrongStateAre409() {
    assertThat(Http.get(a.base() + "/api/v1/missions/no-such-mission", viewer).expect(404).json().get("error").asText())
        .isEqualTo("Expected mission 'no-such-mission' to exist, but it is unknown: never started, or forgotten once "
            + "its retention was over (`groundcontrol audit mission no-such-mission` prints what the log holds)");
    Http.get(b.base() + "/api/v1/missions/no-such-mission/outputs", viewer).expect(404);
    Http.get(b.base() + "/api/v1/missions/no-such-mission/events", viewer).expect(404);
    Http.get(b.base() + "/api/v1/missions/no-such-mission/events/stream", viewer).expect(404);
    assertThat(Http.post(a.base() + "/api/v1/missions/no-such-mission/cancel", operator, "{}").expect(404).json()
        .get("error").asText()).isEqualTo("Expected mission 'no-such-mission' to exist, but it is unknown");

    String id = start(a, "{\"plan\": \"quick\"}").expect(201).json().get("missionId").asText();
    awaitStatus(a, id, "FINISHED");
    assertThat(Http.post(b.base() + "/api/v1/missions/" + id + "/cancel", operator, "{}").expect(409).json()
        .get("error").asText()).contains("to be RUNNING or WAITING to cancel it, but it is FINISHED");
    Http.post(a.base() + "/api/v1/missions/" + id + "/stages/load/fail", operator, "{}").expect(409);
    String held = start(b, "{\"plan\": \"hold\"}").expect(201).json().get("missionId").asText();
    Http.post(a.base() + "/api/v1/missions/" + held + "/stages/nope/skip", operator, "{}").expect(404);
    Http.post(a.base() + "/api/v1/missions/" + held + "/cancel", operator, "{}").expect(200);
  }

  @Test
  void stagesAreRetriedSkippedAndFailedThroughTheApi() {
    String broken = start(b, "{\"plan\": \"breaks\"}").expect(201).json().get("missionId").asText();
    JsonNode failed = awaitStatus(a, broken, "FAILED");
    assertThat(failed.get("stages").get(0).get("error").asText()).contains("broken on purpose");

    JsonNode retried = Http.post(a.base() + "/api/v1/missions/" + broken + "/stages/bad/retry", operator,
        "{\"withDownstream\": false}").expect(200).json();
    // The answer is the mission read just after the decision: the quick worker may have failed it again.
    assertThat(retried.get("stages").get(0).get("attempt").asInt()).isEqualTo(2);
    assertThat(retried.get("sequence").asLong()).isGreaterThan(failed.get("sequence").asLong());
    Http.poll(b.base() + "/api/v1/missions/" + broken, viewer, r -> r.json().get("status").asText().equals("FAILED")
        && r.json().get("stages").get(0).get("attempt").asInt() == 2, LONG);
    Http.post(b.base() + "/api/v1/missions/" + broken + "/stages/after/retry", operator, "{}").expect(409);

    JsonNode skipped = Http.post(b.base() + "/api/v1/missions/" + broken + "/stages/bad/skip", operator,
        "{\"reason\": \"not needed today\"}").expect(200).json();
    assertThat(skipped.get("stages").get(0).get("status").asText()).isEqualTo("SKIPPED");
    awaitStatus(a, broken, "FINISHED");

    String held = start(a, "{\"plan\": \"hold\"}").expect(201).json().get("missionId").asText();
    Http.poll(b.base() + "/api/v1/missions/" + held, viewer,
        r -> r.json().get("stages").get(0).get("status").asText().equals("RUNNING"), LONG);
    JsonNode markedFailed = Http.post(b.base() + "/api/v1/missions/" + held + "/stages/wait/fail", operator,
        "{\"reason\": \"operator says so\"}").expect(200).json();
    assertThat(markedFailed.get("stages").get(0).get("status").asText()).isEqualTo("FAILED");
  }

  /** A dispatched stage that no live worker can take says why it waits, as `mission show` prints it. */
  @Test
  void aStageWithNoLiveWorkerOfItsComponentSaysSoInItsNote() {
    String id = start(a, "{\"plan\": \"orphan\"}").expect(201).json().get("missionId").asText();
    JsonNode stage = Http.poll(b.base() + "/api/v1/missions/" + id, viewer,
        r -> r.json().get("stages").get(0).get("status").asText().equals("DISPATCHED"), LONG).json().get("stages").get(0);

    assertThat(stage.get("note").asText()).matches("waiting \\d+ s; no live worker of 'nobody'");
    Http.post(a.base() + "/api/v1/missions/" + id + "/cancel", operator, "{}").expect(200);
  }

  @Test
  void theEventStreamSendsTheMissionThenItsNewEvents() throws Exception {
    String id = start(a, "{\"plan\": \"hold\"}").expect(201).json().get("missionId").asText();
    HttpRequest request = HttpRequest.newBuilder(URI.create(b.base() + "/api/v1/missions/" + id + "/events/stream"))
        .header("Authorization", "Bearer " + viewer).header("Accept", "text/event-stream").GET().build();
    HttpResponse<java.io.InputStream> stream = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofInputStream());
    assertThat(stream.statusCode()).isEqualTo(200);
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
      assertThat(nextData(lines, "mission")).contains("\"missionId\":\"" + id + "\"");
      Http.post(a.base() + "/api/v1/missions/" + id + "/cancel", operator, "{\"reason\": \"done watching\"}").expect(200);
      String cancelled = null;
      while (cancelled == null) {
        String data = nextData(lines, "event");
        if (data.contains("MissionCancelled")) {
          cancelled = data;
        }
      }
      assertThat(cancelled).contains("done watching");
    }
  }

  @Test
  void anOpenEventStreamEndsOnceItsKeyIsRevoked() throws Exception {
    String watcher;
    try (ApiKeyRegistry keys = new ApiKeyRegistry(groundcontrol.connection(), groundcontrol.topics(), Clock.systemUTC())) {
      watcher = keys.create("watcher", Role.VIEWER);
      issued.add(watcher);
      Http.poll(b.base() + "/api/v1/plans", watcher, r -> r.status() == 200, LONG);
      String id = start(a, "{\"plan\": \"hold\"}").expect(201).json().get("missionId").asText();
      HttpRequest request = HttpRequest.newBuilder(URI.create(b.base() + "/api/v1/missions/" + id + "/events/stream"))
          .header("Authorization", "Bearer " + watcher).header("Accept", "text/event-stream").GET().build();
      SseLines stream = new SseLines();
      CompletableFuture<HttpResponse<Void>> ended =
          HttpClient.newHttpClient().sendAsync(request, HttpResponse.BodyHandlers.fromLineSubscriber(stream));
      try {
        stream.awaitEvent("mission");

        keys.revoke(io.groundcontrol.apikey.ApiKeySecrets.idOf(watcher).orElseThrow());

        // The held mission sends no event: the stream has to end without one.
        assertThat(ended.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
      } finally {
        stream.cancel();
        Http.post(a.base() + "/api/v1/missions/" + id + "/cancel", operator, "{}").expect(200);
      }
    }
    Http.get(b.base() + "/api/v1/missions/x/events/stream", watcher).expect(401);
  }

  /** The lines of a server-sent event stream as they come, read without blocking a thread. */
  private static final class SseLines implements Flow.Subscriber<String> {
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private volatile Flow.Subscription subscription;

    /** Waits for an event named {@code name}, skipping other lines. */
    void awaitEvent(String name) throws InterruptedException {
      while (true) {
        String line = lines.poll(LONG.toSeconds(), TimeUnit.SECONDS);
        assertThat(line).as("a line within " + LONG + " while waiting for event '" + name + "'").isNotNull();
        if (line.startsWith("event:") && line.substring(6).trim().equals(name)) {
          return;
        }
      }
    }

    void cancel() {
      if (subscription != null) {
        subscription.cancel();
      }
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      subscription = s;
      s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(String line) {
      lines.add(line);
    }

    @Override
    public void onError(Throwable e) {
      // the response future fails with it
    }

    @Override
    public void onComplete() {
      // the response future completes
    }
  }

  @Test
  void deadLettersMetricsAndTheDocumentAreServed() {
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, groundcontrol.bootstrapServers()),
        new ByteArraySerializer(), new ByteArraySerializer())) {
      producer.send(new ProducerRecord<>(groundcontrol.topics().missionCommands(), "junk".getBytes(), "not avro".getBytes()));
    }
    JsonNode letters = Http.poll(b.base() + "/api/v1/dead-letters?limit=10", viewer,
        r -> r.status() == 200 && r.json().get("deadLetters").size() > 0, LONG).json();
    assertThat(letters.get("deadLetters").get(0).get("key").asText()).isEqualTo("junk");
    Http.get(b.base() + "/api/v1/dead-letters?limit=0", viewer).expect(400);

    start(a, "{\"plan\": \"quick\"}").expect(201);
    String metricsA = Http.get(a.base() + "/metrics", viewer).expect(200).body();
    String metricsB = Http.get(b.base() + "/metrics", viewer).expect(200).body();
    assertThat(metricsA + metricsB).contains("groundcontrol_missions_started_total");
    assertThat(metricsA).contains("kafka_stream_");
    assertThat(Http.get(a.base() + "/api/v1/openapi.json", viewer).expect(200).body()).isEqualTo(OperationRoutes.load());
  }

  @Test
  void keysAreNeverStoredInClearAndARevokedKeyIsRefusedEverywhere() throws Exception {
    String doomed;
    try (ApiKeyRegistry keys = new ApiKeyRegistry(groundcontrol.connection(), groundcontrol.topics(), Clock.systemUTC())) {
      doomed = keys.create("doomed", Role.VIEWER);
      issued.add(doomed);
      for (ApiInstance instance : List.of(a, b)) {
        Http.poll(instance.base() + "/api/v1/plans", doomed, r -> r.status() == 200, LONG);
      }
      keys.revoke(io.groundcontrol.apikey.ApiKeySecrets.idOf(doomed).orElseThrow());
    }
    for (ApiInstance instance : List.of(a, b)) {
      Http.poll(instance.base() + "/api/v1/plans", doomed, r -> r.status() == 401, LONG);
    }

    String raw = rawKeysTopic();
    for (String key : issued) {
      String secret = key.substring("gc_".length() + 12 + 1);
      assertThat(raw).doesNotContain(secret);
    }
  }

  private static String rawKeysTopic() {
    StringBuilder all = new StringBuilder();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, groundcontrol.bootstrapServers()),
        new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      TopicPartition partition = new TopicPartition(groundcontrol.topics().apiKeys(), 0);
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      long end = consumer.endOffsets(List.of(partition)).get(partition);
      while (consumer.position(partition) < end) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          all.append(new String(record.value(), StandardCharsets.ISO_8859_1));
        }
      }
    }
    assertThat(all).as("the keys topic has the issued keys").isNotEmpty();
    return all.toString();
  }

  private static Http.Response start(ApiInstance instance, String body) {
    return Http.post(instance.base() + "/api/v1/missions", operator, body);
  }

  private static JsonNode awaitStatus(ApiInstance instance, String id, String status) {
    return Http.poll(instance.base() + "/api/v1/missions/" + id, viewer,
        r -> r.status() == 200 && r.json().get("status").asText().equals(status), LONG).json();
  }

  /** Start times as instants: as ISO text, "10:00:04Z" would sort before "10:00:04.021Z". */
  /** The missions of every page of {@code /api/v1/missions?query} through {@code instance}, following nextCursor. */
  private static List<JsonNode> everyPage(ApiInstance instance, String query) {
    List<JsonNode> missions = new ArrayList<>();
    String cursor = null;
    do {
      JsonNode page = Http.get(instance.base() + "/api/v1/missions?" + query
          + (cursor == null ? "" : "&cursor=" + cursor), viewer).expect(200).json();
      page.get("missions").forEach(missions::add);
      cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asText();
    } while (cursor != null);
    return missions;
  }

  private static List<Instant> startTimes(ApiInstance instance, List<String> ids) {
    List<Instant> times = new ArrayList<>();
    for (String id : ids) {
      times.add(Instant.parse(
          Http.get(instance.base() + "/api/v1/missions/" + id, viewer).expect(200).json().get("startedAt").asText()));
    }
    return times;
  }

  /** The data of the next server-sent event named {@code name}, skipping others. */
  private static String nextData(BufferedReader lines, String name) throws Exception {
    String event = null;
    for (String line = lines.readLine(); line != null; line = lines.readLine()) {
      if (line.startsWith("event:")) {
        event = line.substring(6).trim();
      } else if (line.startsWith("data:") && name.equals(event)) {
        return line.substring(5).trim();
      }
    }
    throw new AssertionError("The stream ended before a '" + name + "' event");
  }

}
