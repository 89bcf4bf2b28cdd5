package io.groundcontrol.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The CLI's offline commands, run as a user would, through picocli. */
class PlanCommandsTest {
  private static final String EXAMPLE_SCHEDULES = Path.of("..", "examples", "schedules.yaml").toString();
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private PrintStream originalOut;
  private PrintStream originalErr;

  @BeforeEach
  void capture() {
    originalOut = System.out;
    originalErr = System.err;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void restore() {
    System.setOut(originalOut);
    System.setErr(originalErr);
  }

  private int run(String... args) {
    return GroundcontrolCli.commandLine().execute(args);
  }

  @Test
  void aValidPlanValidatesWithExitZero() {
    int exit = run("plan", "validate", Path.of("..", "examples", "diamond.yaml").toString());

    assertThat(exit).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("plan 'customer-scoring' is valid (5 stages, version ");
  }

  @Test
  void aMissionIdTheApiCouldNotServeIsAUsageErrorBeforeAnythingIsSent() {
    int exit = run("mission", "start", "quick", "--id", "a/b", "--bootstrap-servers", "127.0.0.1:1");

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("Expected a mission id of 1 to 200 letters, digits or any of ._~:@+-, but got 'a/b' (--id)");
  }

  @Test
  void aBlankIdempotencyKeyIsAUsageErrorBeforeAnythingIsSent() {
    int exit = run("mission", "start", "quick", "--key", " ", "--bootstrap-servers", "127.0.0.1:1");

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("Expected a non-blank idempotency key, but --key is blank");
  }

  @Test
  void aTimeoutTakesThePlansDurationsAndIso8601() {
    TimeoutConverter timeouts = new TimeoutConverter();

    assertThat(timeouts.convert("5m")).isEqualTo(java.time.Duration.ofMinutes(5));
    assertThat(timeouts.convert("PT90S")).isEqualTo(java.time.Duration.ofSeconds(90));
    assertThat(run("mission", "start", "quick", "--wait", "--timeout", "soon", "--bootstrap-servers", "127.0.0.1:1"))
        .isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("Expected a duration such as 90s, 5m or PT5M, but got 'soon'");
  }

  @Test
  void aCycleIsPrintedAndExitsOne() {
    int exit = run("plan", "validate", Path.of("..", "examples", "bad-cycle.yaml").toString());

    assertThat(exit).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("stage 'extract', field 'upstream': stages depend on each other in a cycle: extract -> clean -> publish -> extract");
  }

  @Test
  void theExampleComponentSettingsValidate() {
    int exit = run("component", "validate", Path.of("..", "examples", "components.yaml").toString());

    assertThat(exit).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("2 components valid");
  }

  @Test
  void theExampleSchedulesValidateAgainstTheExamplePlanAndSayWhenNoPlanIsGiven() {
    assertThat(run("schedule", "validate", EXAMPLE_SCHEDULES, "--plan", Path.of("..", "examples", "diamond.yaml").toString()))
        .as(err.toString(StandardCharsets.UTF_8)).isZero();
    assertThat(run("schedule", "validate", EXAMPLE_SCHEDULES)).isZero();

    assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(EXAMPLE_SCHEDULES + ": 3 schedules and 3 triggers, valid\n"
        + EXAMPLE_SCHEDULES + ": 3 schedules and 3 triggers, valid; their params are not checked against plan "
        + "'customer-scoring': give the plan files with --plan, or `schedule apply` checks the applied plans\n");
  }

  @Test
  void aSchedulesFileOfOneScheduleSaysOneSchedule(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    Path file = dir.resolve("one.yaml");
    Files.writeString(file, "schedules:\n  - { name: hourly, plan: customer-scoring, every: 1h }\n");

    assertThat(run("schedule", "validate", file.toString(), "--plan", Path.of("..", "examples", "diamond.yaml").toString()))
        .as(err.toString(StandardCharsets.UTF_8)).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(file + ": 1 schedule and 0 triggers, valid\n");
  }

  @Test
  void aBatchTriggerWhoseKeysParamThePlanDoesNotDeclareIsInvalid(@org.junit.jupiter.api.io.TempDir Path dir)
      throws java.io.IOException {
    Path file = java.nio.file.Files.writeString(dir.resolve("schedules.yaml"), """
        triggers:
          - {name: rescore, topic: crm.changes, plan: customer-scoring, key: "${event.id}", batch: {window: 5m}}
        """);

    int exit = run("schedule", "validate", file.toString(), "--plan", Path.of("..", "examples", "diamond.yaml").toString());

    assertThat(exit).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8).strip()).isEqualTo(file + ": triggers[rescore].batch.keys_param: "
        + "plan 'customer-scoring' does not declare param 'keys', which would receive the batch's keys "
        + "(declared: date, sample_rate, model_name, customers); declare it in the plan's params");
  }

  @Test
  void badComponentSettingsArePrintedOneLineEachAndExitOne(@org.junit.jupiter.api.io.TempDir Path dir)
      throws java.io.IOException {
    Path file = java.nio.file.Files.writeString(dir.resolve("components.yaml"), "bigquery: {max_running: lots}\n");

    int exit = run("component", "apply", file.toString());

    assertThat(exit).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8).strip()).isEqualTo(file
        + ": component 'bigquery', field 'max_running': expected a whole number of at least 0, but got \"lots\"");
  }

  @Test
  void aMissingFileSaysSo() {
    int exit = run("plan", "validate", "no-such-plan.yaml");

    assertThat(exit).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8).strip()).isEqualTo("no-such-plan.yaml: cannot read: no such file");
  }

  @Test
  void everyCommandHasHelp() {
    for (String[] command : new String[][] {
      {"--help"}, {"demo", "--help"}, {"dev", "--help"}, {"plan", "apply", "--help"}, {"mission", "start", "--help"},
      {"mission", "retry", "--help"}, {"coordinator", "--help"}, {"workers", "--help"}
    }) {
      assertThat(run(command)).as(String.join(" ", command)).isZero();
    }
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("Usage: groundcontrol mission start").contains("--start-from");
  }

  /** `acl print` for the coordinator includes the topics its triggers read. */
  @Test
  void theCoordinatorMayReadTheTopicOfEachTriggerOfTheSchedulesFile() {
    int exit = run("acl", "print", "--role", "coordinator", "--principal", "User:gc", "--schedules", EXAMPLE_SCHEDULES,
        "--trigger-topic", "erp.orders", "--trigger-topic", "crm.changes");

    assertThat(exit).as(err.toString()).isZero();
    String printed = out.toString(StandardCharsets.UTF_8);
    for (String topic : new String[] {"warehouse.exports", "crm.uploads", "crm.changes", "erp.orders"}) {
      assertThat(printed).contains("kafka-acls.sh --bootstrap-server \"$BOOTSTRAP_SERVERS\" --add --allow-principal "
          + "User:gc --operation Read --operation Describe --topic " + topic + "\n");
    }
    assertThat(printed).contains("# topic warehouse.exports: the events of its triggers (rescore-on-export)")
        .contains("# topic crm.changes: the events of its triggers (rescore-changed-customers)")
        .doesNotContain("none named");
  }

  @Test
  void withoutTriggerTopicsItSaysTheyAreMissing() {
    assertThat(run("acl", "print", "--role", "coordinator", "--principal", "User:gc")).isZero();

    assertThat(out.toString(StandardCharsets.UTF_8)).contains("# Trigger topics: none named")
        .contains("add --schedules FILE");
  }

  @Test
  void triggerTopicsBelongToTheCoordinatorAlone() {
    assertThat(run("acl", "print", "--role", "viewer", "--principal", "User:bob", "--trigger-topic", "erp.orders"))
        .isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("Expected --schedules and --trigger-topic only with --role coordinator");
  }

  @Test
  void anInvalidSchedulesFileIsReportedNotPrinted() {
    assertThat(run("acl", "print", "--role", "coordinator", "--principal", "User:gc", "--schedules", "missing.yaml"))
        .isEqualTo(1);
    assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("missing.yaml: cannot read");
  }
}
