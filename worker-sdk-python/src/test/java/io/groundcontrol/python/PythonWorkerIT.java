package io.groundcontrol.python;

import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.client.MissionLog;
import io.groundcontrol.mission.EventAppliers;
import io.groundcontrol.mission.TestPlan;
import io.groundcontrol.schema.InputRejected;
import io.groundcontrol.schema.MissionCancelled;
import io.groundcontrol.schema.MissionEvent;
import io.groundcontrol.schema.MissionFailed;
import io.groundcontrol.schema.StageFailed;
import io.groundcontrol.schema.StageFinished;
import io.groundcontrol.schema.StageStarted;
import io.groundcontrol.testing.GroundcontrolFixture;
import io.groundcontrol.testing.KafkaBrokerExtension;
import io.groundcontrol.worker.api.StageResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Python worker (the package of this module, installed in target/venv) and a Java worker serve one
 * plan on a real broker: a retried failure, a non-retryable failure, a stage kept alive by
 * heartbeats, a cancel, and a clean exit on SIGTERM.
 */
class PythonWorkerIT {
  @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();
  private static final Duration LONG_WAIT = Duration.ofSeconds(120);

  @TempDir Path marks;
  private GroundcontrolFixture groundcontrol;
  private Process python;
  private Path pythonLog;

  @BeforeEach
  void setUp() {
    groundcontrol = new GroundcontrolFixture(KAFKA, "python").startCoordinator();
  }

  /** Starts {@code script} on the test's broker and topics (arguments and environment both say where). */
  private void startPython(Path script, String... args) throws IOException {
    pythonLog = Files.createTempFile("python-worker-", ".log");
    List<String> command = new java.util.ArrayList<>(
        List.of(System.getProperty("groundcontrol.python", "python3"), script.toAbsolutePath().toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(pythonLog.toFile());
    builder.environment().put("GROUNDCONTROL_BOOTSTRAP_SERVERS", groundcontrol.bootstrapServers());
    builder.environment().put("GROUNDCONTROL_TOPIC_PREFIX", groundcontrol.topics().prefix());
    python = builder.start();
  }

  @Test
  void theReadmesPythonWorkerServesTheDemoPlansMlStages() throws Exception {
    groundcontrol.apply(io.groundcontrol.plan.PlanFiles.load(Path.of("..", "examples", "diamond.yaml")));
    groundcontrol.worker("warehouse", 2, context -> StageResult.finished());
    startPython(Path.of("..", "examples", "python", "ml_worker.py"));

    groundcontrol.start("diamond-1", "customer-scoring");

    List<MissionEvent> events = groundcontrol.awaitEnd(List.of("diamond-1"), LONG_WAIT).get("diamond-1");
    assertThat(last(events)).isInstanceOf(io.groundcontrol.schema.MissionFinished.class);
    assertThat(finished(events, "train").getOutputs()).containsEntry("model", "\"gradient-boosting-diamond-1\"");
    assertThat(finished(events, "publish").getOutputs())
        .containsEntry("published_to", "\"models/churn/2026-01-01\"").containsEntry("promoted", "true");
  }

  @AfterEach
  void tearDown() throws Exception {
    if (python != null && python.isAlive()) {
      python.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    if (groundcontrol != null) {
      groundcontrol.close();
    }
  }

  @Test
  void javaAndPythonWorkersShareAPlanThroughFailuresHeartbeatsAndACancel() throws Exception {
    groundcontrol.worker("jvm", 2, context -> StageResult.finished().output("rows", "42"));
    startPython(Path.of("src", "test", "resources", "it_worker.py"),
        groundcontrol.bootstrapServers(), groundcontrol.topics().prefix(), marks.toString());
    groundcontrol.apply(TestPlan.named("mixed")
        .stage("prepare", "jvm")
        .stage("flaky", "py", Map.of("rows", "42"), "prepare").retry(3, 100)
        .stage("long", "py", Map.of("seconds", "3.5"), "prepare")
        .stage("strict", "py", Map.of("table", "\"sales\""), "prepare").retry(3, 100)
        .stage("publish", "jvm", "flaky", "long")
        .build());
    groundcontrol.apply(TestPlan.named("waiting").stage("wait", "py").build());

    groundcontrol.start("mixed-1", "mixed");
    groundcontrol.start("waiting-1", "waiting");
    await(() -> Files.exists(marks.resolve("wait-started")), "the Python handler of 'wait' to start");
    groundcontrol.commands().cancel("waiting-1", "test");

    Map<String, List<MissionEvent>> log = groundcontrol.awaitEnd(List.of("mixed-1", "waiting-1"), LONG_WAIT);
    List<MissionEvent> mixed = log.get("mixed-1");
    assertThat(last(mixed)).isInstanceOf(MissionFailed.class);
    assertThat(failures(mixed, "flaky")).singleElement().satisfies(failed -> {
      assertThat(failed.getError().getMessage()).isEqualTo("ConnectionError: feature store unreachable");
      assertThat(failed.getError().getRetryable()).isTrue();
      assertThat(failed.getError().getDetail()).contains("Traceback (most recent call last)", "in flaky");
    });
    assertThat(finished(mixed, "flaky").getAttempt()).isEqualTo(2);
    assertThat(finished(mixed, "flaky").getOutputs()).containsEntry("rows", "42").containsEntry("attempt", "2");
    assertThat(failures(mixed, "strict")).singleElement().satisfies(failed -> {
      assertThat(failed.getAttempt()).isEqualTo(1);
      assertThat(failed.getError().getRetryable()).isFalse();
      assertThat(failed.getError().getMessage()).isEqualTo("NonRetryableError: no such table 'sales'");
    });
    assertThat(new EventAppliers().replay(mixed).stage("strict").orElseThrow().worker())
        .as("named by its StageStarted, or by its StageFailed if it failed before its start was reported")
        .hasValue("py-1");
    StageStarted longStarted = mixed.stream().map(MissionEvent::getEvent).filter(StageStarted.class::isInstance)
        .map(StageStarted.class::cast).filter(s -> s.getStage().equals("long")).findFirst().orElseThrow();
    assertThat(longStarted.getHeartbeatIntervalMs()).isEqualTo(1000L);
    assertThat(longStarted.getWorker()).isEqualTo("py-1");
    assertThat(finished(mixed, "long").getOutputs()).containsEntry("slept", "3.5");
    assertThat(finished(mixed, "publish")).isNotNull();

    await(() -> Files.exists(marks.resolve("wait-stopped")), "the cancelled Python handler to stop");
    // The worker's reply to CANCEL (failed: cancelled) comes after the mission ended: recorded as rejected.
    groundcontrol.awaitEvent("waiting-1", InputRejected.class, LONG_WAIT);
    List<MissionEvent> waiting;
    try (MissionLog missionLog = new MissionLog(groundcontrol.connection(), groundcontrol.topics())) {
      waiting = missionLog.readMission("waiting-1", problem -> {
        throw new AssertionError(problem);
      });
    }
    assertThat(waiting).extracting(MissionEvent::getEvent)
        .anySatisfy(event -> assertThat(event).isInstanceOf(MissionCancelled.class))
        .anySatisfy(event -> assertThat(event).isInstanceOfSatisfying(InputRejected.class, rejected ->
            assertThat(rejected.getReason()).isEqualTo(
                "Expected mission 'waiting-1' to be RUNNING to fail stage 'wait', but it is CANCELLED")));

    python.destroy(); // SIGTERM
    assertThat(python.waitFor(60, TimeUnit.SECONDS)).as("the Python worker exits after SIGTERM").isTrue();
    assertThat(python.exitValue()).isZero();
    assertThat(Files.readString(pythonLog)).contains("Cancelling ('waiting-1', 'wait', 1)", "worker exited cleanly");
  }

  private static Object last(List<MissionEvent> events) {
    return events.get(events.size() - 1).getEvent();
  }

  private static List<StageFailed> failures(List<MissionEvent> events, String stage) {
    return events.stream().map(MissionEvent::getEvent).filter(StageFailed.class::isInstance)
        .map(StageFailed.class::cast).filter(f -> f.getStage().equals(stage)).toList();
  }

  private static StageFinished finished(List<MissionEvent> events, String stage) {
    return events.stream().map(MissionEvent::getEvent).filter(StageFinished.class::isInstance)
        .map(StageFinished.class::cast).filter(f -> f.getStage().equals(stage)).findFirst()
        .orElseThrow(() -> new AssertionError("stage '" + stage + "' did not finish: " + events));
  }

  private void await(BooleanSupplier condition, String what) throws Exception {
    long deadline = System.nanoTime() + LONG_WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline || !python.isAlive()) {
        throw new AssertionError("Waited in vain for " + what + "; Python worker log:\n" + Files.readString(pythonLog));
      }
      TimeUnit.MILLISECONDS.sleep(50);
    }
  }
}
