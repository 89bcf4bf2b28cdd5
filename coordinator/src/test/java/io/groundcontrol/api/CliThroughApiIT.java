package io.groundcontrol.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.apikey.Role;
import io.groundcontrol.cli.GroundcontrolCli;
import io.groundcontrol.client.ApiKeyRegistry;
import io.groundcontrol.testing.GroundcontrolFixture;
import io.groundcontrol.testing.KafkaBrokerExtension;
import io.groundcontrol.worker.api.StageResult;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** `mission show` and `mission list` read through the HTTP API, and fall back to the log, saying so, without one. */
class CliThroughApiIT {
  @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private PrintStream originalOut;
  private PrintStream originalErr;
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
    originalOut = System.out;
    originalErr = System.err;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void tearDown() {
    System.setOut(originalOut);
    System.setErr(originalErr);
    groundcontrol.close();
    instance.close();
  }

  @Test
  void showAndListReadTheReadSide() {
    Http.post(instance.base() + "/api/v1/missions", key, "{\"plan\": \"one\", \"missionId\": \"m-api-1\"}").expect(201);
    Http.poll(instance.base() + "/api/v1/missions/m-api-1", key,
        r -> r.json().get("status").asText().equals("FINISHED"), Duration.ofSeconds(60));

    assertThat(run("mission", "show", "m-api-1", "--api-url", instance.api.baseUrl(), "--api-key", key)).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("Mission m-api-1  plan one@").contains("FINISHED")
        .contains("{rows=7}");
    out.reset();
    assertThat(run("mission", "list", "--status", "FINISHED", "--api-url", instance.api.baseUrl(), "--api-key", key))
        .isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("m-api-1").contains("FINISHED");
    assertThat(run("mission", "show", "nope", "--api-url", instance.api.baseUrl(), "--api-key", key)).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8)).doesNotContain("warning");
  }

  @Test
  void withoutAReachableApiTheyFoldTheLogAndSaySo() {
    Http.post(instance.base() + "/api/v1/missions", key, "{\"plan\": \"one\", \"missionId\": \"m-api-2\"}").expect(201);
    Http.poll(instance.base() + "/api/v1/missions/m-api-2", key,
        r -> r.json().get("status").asText().equals("FINISHED"), Duration.ofSeconds(60));

    assertThat(run("mission", "show", "m-api-2", "--api-url", "http://127.0.0.1:1/api/v1", "--api-key", key)).isZero();

    assertThat(out.toString(StandardCharsets.UTF_8)).contains("Mission m-api-2").contains("FINISHED");
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("warning: Could not reach the API at http://127.0.0.1:1/api/v1")
        .contains("rebuilding the mission from the event log");
  }

  private int run(String... args) {
    String[] all = new String[args.length + 4];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--bootstrap-servers";
    all[args.length + 1] = groundcontrol.bootstrapServers();
    all[args.length + 2] = "--topic-prefix";
    all[args.length + 3] = groundcontrol.topics().prefix();
    return GroundcontrolCli.commandLine().execute(all);
  }
}
