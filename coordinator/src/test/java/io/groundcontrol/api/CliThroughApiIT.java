package io.groundcontrol.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.apikey.Role;
import io.groundcontrol.audit.CliRun;
import io.groundcontrol.client.ApiKeyRegistry;
import io.groundcontrol.testing.GroundcontrolFixture;
import io.groundcontrol.testing.KafkaBrokerExtension;
import io.groundcontrol.worker.api.StageResult;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** `mission show` and `mission list` read through the HTTP API, and fall back to the log, saying so, without one. */
class CliThroughApiIT {
  @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

  private GroundcontrolFixture groundcontrol;
  private ApiInstance instance;
  private String key;

  @BeforeEach
  void setUp() {
    groundcontrol = new GroundcontrolFixture(KAFKA, "cliapi");
    instance = ApiInstance.start(groundcontrol.coordinatorConfig(), 2);
    try (ApiKeyRegistry keys = new ApiKeyRegistry(groundcontrol.connection(), groundcontrol.topics(), Clock.systemUTC())) {
      key = keys.create("cli", Role.ADMIN);
    }
    Http.poll(instance.base() + "/api/v1/missions", key, r -> r.status() == 200, Duration.ofSeconds(60));
    groundcontrol.worker("warehouse", 2, ctx -> StageResult.finished().output("rows", "7"));
    Http.post(instance.base() + "/api/v1/plans", key,
        "{\"name\": \"one\", \"stages\": [{\"name\": \"only\", \"component\": \"warehouse\"}]}").expect(201);
    Http.poll(instance.base() + "/api/v1/plans/one", key, r -> r.status() == 200, Duration.ofSeconds(60));
  }

  @AfterEach
  void tearDown() {
    groundcontrol.close();
    instance.close();
  }

  @Test
  void showAndListReadTheReadSide() {
    Http.post(instance.base() + "/api/v1/missions", key, "{\"plan\": \"one\", \"missionId\": \"m-api-1\"}").expect(201);
    Http.poll(instance.base() + "/api/v1/missions/m-api-1", key,
        r -> r.json().get("status").asText().equals("FINISHED"), Duration.ofSeconds(60));

    CliRun show = run("mission", "show", "m-api-1", "--api-url", instance.api.baseUrl(), "--api-key", key);
    assertThat(show.exitCode()).as(show.toString()).isZero();
    assertThat(show.out()).contains("Mission m-api-1  plan one@").contains("FINISHED").contains("{rows=7}");
    assertThat(show.err()).doesNotContain("warning");
    CliRun list = run("mission", "list", "--status", "FINISHED", "--api-url", instance.api.baseUrl(), "--api-key", key);
    assertThat(list.exitCode()).as(list.toString()).isZero();
    assertThat(list.out()).contains("m-api-1").contains("FINISHED");
    CliRun unknown = run("mission", "show", "nope", "--api-url", instance.api.baseUrl(), "--api-key", key);
    assertThat(unknown.exitCode()).isEqualTo(1);
    assertThat(unknown.err()).contains("Unknown mission 'nope'").contains("forgotten once its retention was over")
        .doesNotContain("warning");
    assertThat(unknown.err().lines().filter(line -> !line.isBlank())).as("one line").hasSize(1);
  }

  @Test
  void whatTheApiRefusesIsOneLineWithItsStatusAndReason() {
    String revoked;
    try (ApiKeyRegistry keys = new ApiKeyRegistry(groundcontrol.connection(), groundcontrol.topics(), Clock.systemUTC())) {
      revoked = keys.create("gone", Role.VIEWER);
      keys.revoke(io.groundcontrol.apikey.ApiKeySecrets.idOf(revoked).orElseThrow());
    }
    Http.poll(instance.base() + "/api/v1/missions", revoked, r -> r.status() == 401, Duration.ofSeconds(60));

    CliRun refused = run("mission", "show", "m-x", "--api-url", instance.api.baseUrl(), "--api-key", revoked);
    assertOneErrorLine(refused, "error: The API answered 401 for " + instance.api.baseUrl() + "/missions/m-x: ");
    CliRun wrongUrl = run("mission", "show", "m-x", "--api-url", instance.base() + "/v1", "--api-key", key);
    assertOneErrorLine(wrongUrl, "error: The API answered 404 for " + instance.base() + "/v1/missions/m-x: ");
    assertThat(wrongUrl.err()).contains("check --api-url: it ends in /api/v1");
    CliRun badLimit = run("mission", "list", "--limit", "0", "--api-url", instance.api.baseUrl(), "--api-key", key);
    assertThat(badLimit.exitCode()).isEqualTo(2);
    assertThat(badLimit.err()).startsWith("Expected --limit from 1 to 500, but got 0").doesNotContain("\tat ");
  }

  private static void assertOneErrorLine(CliRun run, String prefix) {
    assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
    assertThat(run.err().lines().filter(line -> !line.isBlank())).as(run.toString()).singleElement().asString()
        .startsWith(prefix);
  }

  @Test
  void withoutAReachableApiTheyFoldTheLogAndSaySo() {
    Http.post(instance.base() + "/api/v1/missions", key, "{\"plan\": \"one\", \"missionId\": \"m-api-2\"}").expect(201);
    Http.poll(instance.base() + "/api/v1/missions/m-api-2", key,
        r -> r.json().get("status").asText().equals("FINISHED"), Duration.ofSeconds(60));

    CliRun show = run("mission", "show", "m-api-2", "--api-url", "http://127.0.0.1:1/api/v1", "--api-key", key);

    assertThat(show.exitCode()).as(show.toString()).isZero();
    assertThat(show.out()).contains("Mission m-api-2").contains("FINISHED");
    assertThat(show.err()).contains("warning: Could not reach the API at http://127.0.0.1:1/api/v1")
        .contains("rebuilding the mission from the event log");
  }

  private CliRun run(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--bootstrap-servers", groundcontrol.bootstrapServers(), "--topic-prefix", groundcontrol.topics().prefix()));
    return CliRun.of(all.toArray(String[]::new));
  }
}
