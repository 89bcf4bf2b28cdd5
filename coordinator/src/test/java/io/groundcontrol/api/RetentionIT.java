package io.groundcontrol.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.apikey.Role;
import io.groundcontrol.client.ApiKeyRegistry;
import io.groundcontrol.client.MissionLog;
import io.groundcontrol.schema.MissionEvent;
import io.groundcontrol.schema.MissionForgotten;
import io.groundcontrol.testing.CliProcess;
import io.groundcontrol.testing.GroundcontrolFixture;
import io.groundcontrol.testing.KafkaBrokerExtension;
import io.groundcontrol.testing.TestDirs;
import io.groundcontrol.worker.api.StageResult;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A coordinator run with {@code --retention} forgets ended missions on a real broker: the API no
 * longer knows them, a coordinator restoring its stores from the changelogs does not bring them
 * back, and their ids may start new missions.
 */
class RetentionIT {
  @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();
  private static final Duration LONG = Duration.ofSeconds(120);
  private static final Pattern API_URL = Pattern.compile("API at (http://[^ ]+)/api/v1");
  private static final int MISSIONS = 10;

  private GroundcontrolFixture groundcontrol;
  private CliProcess coordinator;

  @AfterEach
  void tearDown() {
    if (coordinator != null) {
      coordinator.kill();
    }
    if (groundcontrol != null) {
      groundcontrol.close();
    }
  }

  private String startCoordinator() {
    coordinator = CliProcess.start(groundcontrol.coordinatorCommandFailingOverQuickly(TestDirs.create("gc-retention-")));
    coordinator.awaitOutput("Ctrl-C stops", LONG);
    Matcher url = API_URL.matcher(coordinator.output());
    assertThat(url.find()).as(coordinator.output()).isTrue();
    return url.group(1);
  }

  @Test
  void endedMissionsAreForgottenAfterTheRetentionAndStayForgottenAcrossARestore() throws Exception {
    groundcontrol = new GroundcontrolFixture(KAFKA, "retention").retention(Duration.ofSeconds(2));
    String base = startCoordinator();
    String key;
    try (ApiKeyRegistry keys = new ApiKeyRegistry(groundcontrol.connection(), groundcontrol.topics(), Clock.systemUTC())) {
      key = keys.create("retention", Role.ADMIN);
    }
    Http.poll(base + "/api/v1/missions", key, r -> r.status() == 200, LONG);
    groundcontrol.worker("quick", 4, ctx -> StageResult.finished());
    Http.post(base + "/api/v1/plans", key, "{\"name\": \"brief\", \"stages\": [{\"name\": \"only\", \"component\": \"quick\"}]}")
        .expect(201);
    List<String> ids = IntStream.range(0, MISSIONS).mapToObj(i -> "r-" + i).toList();
    for (String id : ids) {
      Http.post(base + "/api/v1/missions", key, "{\"plan\": \"brief\", \"missionId\": \"" + id + "\"}").expect(201);
    }

    groundcontrol.awaitEventCount(MissionForgotten.class, MISSIONS, LONG);

    for (String id : ids) {
      assertThat(Http.get(base + "/api/v1/missions/" + id, key).expect(404).json().get("error").asText())
          .contains("forgotten once its retention was over");
    }
    assertThat(Http.get(base + "/api/v1/missions?limit=100", key).expect(200).json().get("missions")).isEmpty();
    assertThat(Http.get(base + "/metrics", key).expect(200).body()).contains("groundcontrol_missions_forgotten_total 10.0");

    coordinator.kill();
    String restored = startCoordinator();
    Http.poll(restored + "/api/v1/missions", key, r -> r.status() == 200, LONG);
    assertThat(Http.get(restored + "/api/v1/missions?limit=100", key).expect(200).json().get("missions"))
        .as("restored from the changelogs, which carry the removals").isEmpty();
    Http.get(restored + "/api/v1/missions/r-0", key).expect(404);

    Http.post(restored + "/api/v1/missions", key, "{\"plan\": \"brief\", \"missionId\": \"r-0\"}").expect(201);
    groundcontrol.awaitEventCount(MissionForgotten.class, MISSIONS + 1, LONG);
    List<MissionEvent> r0;
    try (MissionLog log = new MissionLog(groundcontrol.connection(), groundcontrol.topics())) {
      r0 = log.readMission("r-0", problem -> {
        throw new AssertionError(problem);
      });
    }
    assertThat(r0).extracting(e -> e.getEvent().getClass().getSimpleName() + "#" + e.getSequence())
        .filteredOn(s -> s.startsWith("Mission"))
        .containsExactly("MissionStarted#1", "MissionFinished#4", "MissionForgotten#5",
            "MissionStarted#1", "MissionFinished#4", "MissionForgotten#5");
  }
}
