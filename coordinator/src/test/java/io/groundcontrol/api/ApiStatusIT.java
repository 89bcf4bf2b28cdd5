package io.groundcontrol.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.groundcontrol.testing.GroundcontrolFixture;
import io.groundcontrol.testing.KafkaBrokerExtension;
import io.groundcontrol.worker.api.StageResult;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The two statuses no healthy request answers, over real HTTP against a real broker: 500 for an
 * unexpected failure (injected behind the routes: the metrics are gone), and 202 for a command no
 * coordinator decides within the wait (the coordinator of the only instance is stopped); the
 * queued command is decided once a coordinator runs again.
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

  @BeforeAll
  static void start() {
    groundcontrol = new GroundcontrolFixture(KAFKA, "api-status");
    faulty = ApiInstance.start(groundcontrol.coordinatorConfig(), 1, COMMAND_WAIT, b -> new Backend(b.streams(),
        b.self(), b.kafka(), b.topics(), b.queries(), b.schedules(), b.keys(), b.feed(), b.commands(),
        b.scheduleCommands(), b.plans(), b.components(), null, b.commandWait()));
    TestKeys keys = TestKeys.create(groundcontrol);
    operator = keys.operator();
    admin = keys.admin();
    Http.poll(faulty.base() + "/api/v1/plans", operator, r -> r.status() == 200, LONG);
    groundcontrol.worker("warehouse", 1, ctx -> StageResult.finished());
    Http.post(faulty.base() + "/api/v1/plans", admin,
        "{\"name\": \"quick\", \"stages\": [{\"name\": \"only\", \"component\": \"warehouse\"}]}").expect(201);
    Http.poll(faulty.base() + "/api/v1/plans/quick", operator, r -> r.status() == 200, LONG);
  }

  @AfterAll
  static void stop() {
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

    later = ApiInstance.start(groundcontrol.coordinatorConfig(), 1);
    JsonNode decided = Http.poll(later.base() + "/api/v1/missions/" + id, operator,
        r -> r.status() == 200 && !r.json().get("status").asText().equals("RUNNING"), LONG).json();
    assertThat(decided.get("status").asText()).isEqualTo("CANCELLED");
    assertThat(decided.get("reason").asText()).contains("changed my mind");
    assertThat(List.of(Http.get(later.base() + "/health/ready", null).status())).containsExactly(200);
  }
}
