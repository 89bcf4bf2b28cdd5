package io.groundcontrol.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.schema.MissionFailed;
import io.groundcontrol.testing.GroundcontrolFixture;
import io.groundcontrol.testing.KafkaBrokerExtension;
import io.groundcontrol.worker.api.StageResult;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The CLI as a user runs it, against a real broker, coordinator and workers. */
class CliIT {
  @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private PrintStream originalOut;
  private GroundcontrolFixture groundcontrol;

  @BeforeEach
  void setUp() {
    originalOut = System.out;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    groundcontrol = new GroundcontrolFixture(KAFKA, "cli").startCoordinator();
  }

  @AfterEach
  void tearDown() {
    System.setOut(originalOut);
    groundcontrol.close();
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

  private String output() {
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void applyStartWaitShowAndRetryAFailedStage() {
    AtomicBoolean brokenOnce = new AtomicBoolean(true);
    groundcontrol.worker("warehouse", 2, context -> StageResult.finished());
    groundcontrol.worker("ml", 2, context -> {
      if (context.stage().equals("features") && brokenOnce.getAndSet(false)) {
        throw new io.groundcontrol.worker.api.NonRetryableStageException("feature table missing");
      }
      return StageResult.finished();
    });

    assertThat(run("plan", "apply", Path.of("..", "examples", "diamond.yaml").toString())).isZero();
    assertThat(run("mission", "start", "customer-scoring", "--id", "m-cli", "-p", "date=2026-11-22", "--wait",
        "--timeout", "PT60S")).as("exit code of a mission that fails").isEqualTo(1);
    groundcontrol.awaitEvent("m-cli", MissionFailed.class, Duration.ofSeconds(5));

    assertThat(run("mission", "retry", "m-cli", "features")).isZero();
    assertThat(output()).contains("retried stage 'features' of m-cli: ");
    groundcontrol.awaitEvent("m-cli", io.groundcontrol.schema.MissionFinished.class, Duration.ofSeconds(60));
    out.reset();
    assertThat(run("mission", "show", "m-cli", "--json")).isZero();

    assertThat(output()).contains("\"status\" : \"FINISHED\"").contains("\"date\" : \"\\\"2026-11-22\\\"\"");
  }

  @Test
  void aRejectedStartExitsOneWithTheReason() {
    java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
    PrintStream originalErr = System.err;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      assertThat(run("plan", "apply", Path.of("..", "examples", "diamond.yaml").toString())).isZero();

      out.reset();
      assertThat(run("mission", "start", "customer-scoring", "-p", "dat=1")).isEqualTo(1);
      assertThat(output()).as("no id on stdout for a rejected start").isEmpty();
      assertThat(run("mission", "cancel", "nope")).as("exit code of a rejected cancel").isEqualTo(1);
    } finally {
      System.setErr(originalErr);
    }
    assertThat(err.toString(StandardCharsets.UTF_8)).contains(
        "Rejected: Expected params that plan 'customer-scoring' accepts, but param 'dat' is not declared "
            + "(declared: date, sample_rate, model_name, customers)")
        .contains("Rejected: Expected mission 'nope' to exist, but it is unknown");
  }

  @Test
  void aKeyNameTakenIsRefusedInOneLineWithoutTheUsage() {
    java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
    PrintStream originalErr = System.err;
    assertThat(run("apikey", "create", "--name", "ci", "--role", "operator")).isZero();
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    int exit;
    try {
      exit = run("apikey", "create", "--name", "CI", "--role", "viewer");
    } finally {
      System.setErr(originalErr);
    }
    assertThat(exit).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .containsPattern("(?m)^error: Expected a key name no key has had, but key \\w+ is named 'ci'; the audit log "
            + "names a key's actions by its name, so choose another$")
        .doesNotContain("Usage:");
  }

  @Test
  void aSchedulesFileWhoseStartsTheAppliedPlanRejectsIsNotApplied(@org.junit.jupiter.api.io.TempDir Path dir)
      throws Exception {
    java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
    PrintStream originalErr = System.err;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    Path rejected = java.nio.file.Files.writeString(dir.resolve("rejected.yaml"), """
        triggers:
          - {name: rescore, topic: crm.changes, plan: customer-scoring, key: "${event.id}", batch: {window: 5m}}
        """);
    Path unknownPlan = java.nio.file.Files.writeString(dir.resolve("later.yaml"), """
        schedules:
          - {name: later, plan: not-yet, every: 1h}
        """);
    try {
      assertThat(run("plan", "apply", Path.of("..", "examples", "diamond.yaml").toString())).isZero();
      out.reset();
      assertThat(run("schedule", "apply", rejected.toString())).isEqualTo(1);
      assertThat(output()).as("nothing applied").isEmpty();
      assertThat(run("schedule", "apply", unknownPlan.toString())).isZero();
    } finally {
      System.setErr(originalErr);
    }
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains(rejected + ": triggers[rescore].batch.keys_param: plan 'customer-scoring' does not declare param 'keys'")
        .contains("Note: plan 'not-yet' not applied yet, so the params that start it are not checked");
    assertThat(output()).contains("applied schedule later");
  }

  @Test
  void aStartWithAKeyReturnsTheExistingMissionTheSecondTimeAndSchedulesAreOperated() throws Exception {
    java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
    PrintStream originalErr = System.err;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    Path file = java.nio.file.Files.createTempFile("schedules-", ".yaml");
    java.nio.file.Files.writeString(file, """
        schedules:
          - name: hourly
            plan: customer-scoring
            cron: "0 * * * *"
            time_zone: Europe/Copenhagen
        """);
    try {
      assertThat(run("plan", "apply", Path.of("..", "examples", "diamond.yaml").toString())).isZero();
      assertThat(run("mission", "start", "customer-scoring", "--key", "order-17")).isZero();
      assertThat(run("mission", "start", "customer-scoring", "--key", "order-17")).isZero();
      assertThat(output()).contains("k.customer-scoring.order-17\nk.customer-scoring.order-17\n");
      assertThat(run("schedule", "apply", file.toString())).isZero();
      assertThat(run("schedule", "pause", "hourly", "--reason", "maintenance")).isZero();
      assertThat(run("schedule", "resume", "nightly")).isEqualTo(1);
      out.reset();
      assertThat(run("schedule", "trigger", "nightly")).isEqualTo(1);
      assertThat(output()).as("no mission id on stdout for a refused fire").isEmpty();
      assertThat(run("schedule", "trigger", "hourly")).isZero();
      assertThat(output()).startsWith("s.hourly.manual-");
      out.reset();
      assertThat(run("schedule", "list")).isZero();
    } finally {
      System.setErr(originalErr);
    }
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("Mission k.customer-scoring.order-17 already exists (RUNNING): nothing new started")
        .contains("paused hourly: paused by ")
        .contains("Rejected: Expected schedule 'nightly' to exist, but it is unknown");
    assertThat(output()).contains("hourly").contains("0 * * * * Europe/Copenhagen").contains("paused by ")
        .contains(": maintenance");
  }
}
