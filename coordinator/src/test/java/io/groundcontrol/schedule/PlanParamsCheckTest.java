package io.groundcontrol.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.plan.PlanFiles;
import io.groundcontrol.schema.Plan;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlanParamsCheckTest {
  private static final Plan SCORING = PlanFiles.parse("""
      name: scoring
      params:
        date: {}
        customers: {default: []}
      stages:
        - {name: score, component: ml}
      """, "scoring.yaml", PlanFiles.Format.YAML);

  private static PlanParamsCheck.Result check(String file) {
    return PlanParamsCheck.check(ScheduleFile.parse(file, "s.yaml"), "s.yaml", Map.of("scoring", SCORING));
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
}
