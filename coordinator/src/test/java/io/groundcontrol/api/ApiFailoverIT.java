package io.groundcontrol.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.groundcontrol.apikey.Role;
import io.groundcontrol.client.ApiKeyRegistry;
import io.groundcontrol.testing.CliProcess;
import io.groundcontrol.testing.GroundcontrolFixture;
import io.groundcontrol.testing.KafkaBrokerExtension;
import io.groundcontrol.testing.TestDirs;
import io.groundcontrol.worker.api.StageResult;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two coordinator instances, one in a child process killed with SIGKILL while missions are read
 * through the other: every answer is the right mission or a clear 503 with Retry-After, never a
 * wrong one or a 404, and afterwards every mission is read and operated through the survivor.
 */
class ApiFailoverIT {
  @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();
  private static final Duration LONG = Duration.ofSeconds(120);
  private static final Pattern API_URL = Pattern.compile("API at (http://[^ ]+)/api/v1");

  private GroundcontrolFixture groundcontrol;
  private ApiInstance survivor;
  private CliProcess doomed;

  @AfterEach
  void tearDown() {
    if (doomed != null) {
      doomed.kill();
    }
    if (groundcontrol != null) {
      groundcontrol.close();
    }
    if (survivor != null) {
      survivor.close();
    }
  }

  @Test
  void missionsAreReadAndOperatedThroughEitherInstanceAlsoWhileOneIsKilled() throws Exception {
    groundcontrol = new GroundcontrolFixture(KAFKA, "failover");
    survivor = ApiInstance.start(groundcontrol.coordinatorConfig(), 2);
    doomed = CliProcess.start(groundcontrol.coordinatorCommandFailingOverQuickly(TestDirs.create("gc-doomed-")));
    doomed.awaitOutput("Ctrl-C stops", LONG);
    Matcher url = API_URL.matcher(doomed.output());
    assertThat(url.find()).as(doomed.output()).isTrue();
    String other = url.group(1);
    String key;
    try (ApiKeyRegistry keys = new ApiKeyRegistry(groundcontrol.connection(), groundcontrol.topics(), Clock.systemUTC())) {
      key = keys.create("failover", Role.ADMIN);
    }
    for (String base : List.of(survivor.base(), other)) {
      Http.poll(base + "/api/v1/missions", key, r -> r.status() == 200, LONG);
    }
    groundcontrol.worker("slow", 8, ctx -> {
      new CountDownLatch(1).await(300, TimeUnit.SECONDS);
      return StageResult.finished();
    });
    Http.post(survivor.base() + "/api/v1/plans", key, "{\"name\": \"hold\", \"stages\": [{\"name\": \"wait\", \"component\": \"slow\"}]}")
        .expect(201);
    Http.poll(other + "/api/v1/plans/hold", key, r -> r.status() == 200, LONG);
    List<String> missions = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      String base = i % 2 == 0 ? survivor.base() : other;
      missions.add(Http.post(base + "/api/v1/missions", key, "{\"plan\": \"hold\", \"missionId\": \"f-" + i + "\"}")
          .expect(201).json().get("missionId").asText());
    }
    for (String id : missions) {
      for (String base : List.of(survivor.base(), other)) {
        assertThat(Http.get(base + "/api/v1/missions/" + id, key).expect(200).json().get("missionId").asText()).isEqualTo(id);
      }
    }

    AtomicBoolean reading = new AtomicBoolean(true);
    AtomicInteger retries = new AtomicInteger();
    AtomicInteger answers = new AtomicInteger();
    Map<String, String> wrong = new ConcurrentHashMap<>();
    Thread reader = new Thread(() -> {
      while (reading.get()) {
        for (String id : missions) {
          Http.Response r = Http.get(survivor.base() + "/api/v1/missions/" + id, key);
          if (r.status() == 503 && r.raw().headers().firstValue("Retry-After").isPresent()) {
            retries.incrementAndGet();
          } else if (r.status() == 200 && r.json().get("missionId").asText().equals(id)
              && r.json().get("status").asText().equals("RUNNING")) {
            answers.incrementAndGet();
          } else {
            wrong.put(id, r.status() + " " + r.body());
          }
        }
      }
    }, "failover-reader");
    reader.start();
    doomed.kill();
    long killedAt = System.nanoTime();
    for (String id : missions) {
      Http.poll(survivor.base() + "/api/v1/missions/" + id, key, r -> r.status() == 200, LONG);
    }
    long recoveredMs = (System.nanoTime() - killedAt) / 1_000_000;
    reading.set(false);
    reader.join();

    System.out.printf("Instance killed: %d correct answers, %d answers 503 with Retry-After, every mission readable "
        + "through the survivor after %d ms%n", answers.get(), retries.get(), recoveredMs);
    assertThat(wrong).as("answers neither right nor a retry").isEmpty();
    JsonNode list = Http.poll(survivor.base() + "/api/v1/missions?plan=hold&limit=100", key, r -> r.status() == 200, LONG).json();
    assertThat(list.get("missions").findValuesAsText("missionId")).containsExactlyInAnyOrderElementsOf(missions);
    for (String id : missions) {
      Http.Response cancelled = retryWhileUnavailable(() ->
          Http.post(survivor.base() + "/api/v1/missions/" + id + "/cancel", key, "{\"reason\": \"after failover\"}"));
      assertThat(cancelled.expect(200).json().get("status").asText()).isEqualTo("CANCELLED");
    }
  }

  private static Http.Response retryWhileUnavailable(java.util.function.Supplier<Http.Response> call) {
    long deadline = System.nanoTime() + LONG.toNanos();
    Http.Response last = call.get();
    while (last.status() == 503 && System.nanoTime() < deadline) {
      java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(500).toNanos());
      last = call.get();
    }
    return last;
  }
}
