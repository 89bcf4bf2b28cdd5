package io.groundcontrol.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.plan.PlanFiles;
import io.groundcontrol.schema.Plan;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlanParamsCheckTest {
  private static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");
  private static final Plan SCORING = PlanFiles.parse("""
      name: scoring
      params:
        date: {}
        customers: {default: []}
      stages:
        - {name: score, component: ml}
      """, "scoring.yaml", PlanFiles.Format.YAML);

  private static PlanParamsCheck.Result check(String file) {
    return PlanParamsCheck.check(ScheduleFile.parse(file, "s.yaml"), "s.yaml", Map.of("scoring", SCORING), NOW);
  }

  private static String batchTrigger(String keysParam) {
    return """
        triggers:
          - name: rescore
            topic: crm.changes
            plan: scoring
            params: {date: "${event.day}"}
            key: ${event.customer_id}
            batch: {max_events: 500, keys_param: %s}
        """.formatted(keysParam);
  }

  @Test
  void aBatchsKeysParamThePlanDoesNotDeclareIsAProblem() {
    PlanParamsCheck.Result checked = check(batchTrigger("customer"));

    assertThat(checked.problems()).containsExactly("s.yaml: triggers[rescore].batch.keys_param: plan 'scoring' does "
        + "not declare param 'customer', which would receive the batch's keys (declared: date, customers); "
        + "declare it in the plan's params");
  }

  @Test
  void theDefaultKeysParamIsCheckedToo() {
    assertThat(check("""
        triggers:
          - {name: rescore, topic: crm.changes, plan: scoring, params: {date: "x"}, key: "${event.id}", batch: {window: 5m}}
        """).problems()).singleElement().asString().contains("does not declare param 'keys'");
  }

  @Test
  void undeclaredAndMissingRequiredParamsAreProblems() {
    PlanParamsCheck.Result checked = check("""
        schedules:
          - {name: nightly, plan: scoring, cron: "0 2 * * *", params: {dat: "2026-01-01"}}
        """);

    assertThat(checked.problems()).containsExactly(
        "s.yaml: schedules[nightly].params.dat: plan 'scoring' does not declare param 'dat' (declared: date, customers); "
            + "did you mean 'date'?",
        "s.yaml: schedules[nightly].params: plan 'scoring' requires param 'date', which has no default");
  }

  @Test
  void startsThatThePlanAcceptsPassAndUnknownPlansAreLeftUnchecked() {
    PlanParamsCheck.Result checked = check("""
        schedules:
          - {name: nightly, plan: scoring, cron: "0 2 * * *", params: {date: "2026-01-01"}}
          - {name: other, plan: elsewhere, every: 1h, params: {anything: 1}}
        """ + batchTrigger("customers"));

    assertThat(checked.problems()).isEmpty();
    assertThat(checked.unchecked()).containsExactly("elsewhere");
  }

  /**
   * Fired only by {@code schedule trigger NAME -p date=...}, whose params are merged over the
   * file's: it starts nothing the plan rejects if the trigger gives them, so it is only a warning.
   */
  @Test
  void aScheduleFiredOnlyByHandMayLeaveRequiredParamsToTheTrigger() {
    PlanParamsCheck.Result checked = check("""
        schedules:
          - {name: by-hand, plan: scoring, cron: "0 2 * * *", paused: true}
          - {name: ended, plan: scoring, cron: "0 2 * * *", end_at: "2026-05-01T00:00:00Z"}
        """);

    assertThat(checked.problems()).isEmpty();
    assertThat(checked.warnings()).containsExactly(
        "s.yaml: schedules[by-hand].params: plan 'scoring' requires param 'date', which has no default; it fires "
            + "only by `schedule trigger by-hand -p NAME=VALUE`, which must give it",
        "s.yaml: schedules[ended].params: plan 'scoring' requires param 'date', which has no default; it fires "
            + "only by `schedule trigger ended -p NAME=VALUE`, which must give it");
  }

  /** A param the plan does not declare stays in every start, whatever the trigger adds. */
  @Test
  void aScheduleFiredOnlyByHandStillMayNotGiveAnUndeclaredParam() {
    PlanParamsCheck.Result checked = check("""
        schedules:
          - {name: by-hand, plan: scoring, cron: "0 2 * * *", paused: true, params: {date: "x", dat: "y"}}
          - {name: ending, plan: scoring, cron: "0 2 * * *", end_at: "2026-07-01T00:00:00Z"}
        """);

    assertThat(checked.problems()).containsExactly(
        "s.yaml: schedules[by-hand].params.dat: plan 'scoring' does not declare param 'dat' (declared: date, "
            + "customers); did you mean 'date'?",
        "s.yaml: schedules[ending].params: plan 'scoring' requires param 'date', which has no default");
  }
}
