package io.groundcontrol.plan;

import static io.groundcontrol.plan.TestPlans.diamond;
import static io.groundcontrol.plan.TestPlans.plan;
import static io.groundcontrol.plan.TestPlans.stage;
import static io.groundcontrol.plan.TestPlans.withParams;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.groundcontrol.plan.PlanProblem.Reason;
import io.groundcontrol.schema.ForeachPolicy;
import io.groundcontrol.schema.Plan;
import io.groundcontrol.schema.PlanParam;
import io.groundcontrol.schema.PlanStage;
import io.groundcontrol.schema.RetryPolicy;
import io.groundcontrol.schema.ReusePolicy;
import io.groundcontrol.schema.StageDefaults;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The validator on plans built directly, as the coordinator reads them from Kafka. */
class PlanValidatorTest {

  @Test
  void validPlanHasNoProblems() {
    assertThat(PlanValidator.validate(diamond())).isEmpty();
  }

  @Test
  void problemsNameAPlanFromKafkaByNameAndVersion() {
    Plan plan = plan("p", stage("a", "warehouse", "b"));

    assertThat(PlanValidator.validate(plan))
        .extracting(PlanProblem::describe)
        .containsExactly("p@v1: stage 'a', field 'upstream': unknown upstream stage 'b' (known: none)");
  }

  @Test
  void doublePolicySettingsThatAreNotFiniteNumbersAreReportedWithStageAndField() {
    PlanStage load = stage("load", "warehouse");
    load.setRetry(new RetryPolicy(3, 1000L, Double.NaN, 60_000L, Double.POSITIVE_INFINITY));
    PlanStage score = withParams(stage("score", "scorer"), Map.of("ids", "\"${chunk.items}\""));
    score.setForeach(new ForeachPolicy("${params.ids}", 1, 10, null, Double.NaN));
    Plan plan = withParams(plan("p", load, score), new PlanParam("ids", null, "[1,2]"));
    plan.setDefaults(new StageDefaults(new RetryPolicy(2, 1000L, Double.POSITIVE_INFINITY, 60_000L, 0.2), null, null));

    assertThat(PlanValidator.validate(plan)).extracting(PlanProblem::describe).containsExactly(
        "p@v1: field 'defaults.retry': multiplier must be a finite number, but is Infinity",
        "p@v1: stage 'load', field 'retry': multiplier must be a finite number, but is NaN",
        "p@v1: stage 'load', field 'retry': jitter must be a finite number, but is Infinity",
        "p@v1: stage 'score', field 'tolerate_failed': tolerate_failed must be a share between 0% and 100%, but is NaN%");
  }

  @Test
  void durationsBeyondTheMaximumInAPlanBuiltInCodeAreRefusedWithTheMessageAFileGets() {
    PlanStage load = stage("load", "warehouse");
    load.setTimeoutMs(Duration.ofDays(1_000_001).toMillis());
    load.setRetry(new RetryPolicy(3, 1000L, 2.0, Long.MAX_VALUE, 0.2));
    load.setReuse(new ReusePolicy(Durations.MAX.toMillis()));
    Plan plan = plan("p", load);
    plan.setDefaults(new StageDefaults(null, null, Durations.MAX.toMillis() + 1));

    assertThat(PlanValidator.validate(plan, "test.yaml")).extracting(PlanProblem::describe).containsExactly(
        "test.yaml: field 'defaults.start_timeout': expected a duration of at most 1000000d (about 2,700 years), "
            + "but got \"86400000000001ms\"",
        "test.yaml: stage 'load', field 'timeout': expected a duration of at most 1000000d (about 2,700 years), "
            + "but got \"1000001d\"",
        "test.yaml: stage 'load', field 'retry.max_backoff': expected a duration of at most 1000000d (about 2,700 "
            + "years), but got \"9223372036854775807ms\"");
    assertThat(TestPlans.problemsOfYaml("""
        name: p
        stages:
          - name: load
            component: warehouse
            timeout: 1000001d
        """)).extracting(PlanProblem::describe, PlanProblem::reason).containsExactly(
        tuple("test.yaml: stage 'load', field 'timeout': expected a duration of at most 1000000d (about 2,700 years), "
            + "but got \"1000001d\"", Reason.DURATION_TOO_LONG));
    assertThatThrownBy(() -> PlanValidator.requireValid(plan, "code")).isInstanceOf(InvalidPlanException.class)
        .hasMessageContaining("stage 'load', field 'timeout': expected a duration of at most 1000000d");
    // A plan read back from Kafka keeps running: its inputs are rejected one at a time instead.
    PlanValidator.requireRunnable(plan);
  }

  @Test
  void aNegativeBackoffIsRefusedInAFileAndInAPlanBuiltInCodeButAPlanFromKafkaStillRuns() {
    assertThat(TestPlans.problemsOfYaml("""
        name: p
        stages:
          - name: load
            component: warehouse
            retry: { attempts: 3, backoff: PT-10S, max_backoff: PT-1S }
        """)).extracting(PlanProblem::describe, PlanProblem::reason).containsExactly(
        tuple("test.yaml: stage 'load', field 'retry.backoff': a backoff must not be negative, but got \"-10000ms\"",
            Reason.NEGATIVE_DURATION),
        tuple("test.yaml: stage 'load', field 'retry.max_backoff': a backoff must not be negative, but got \"-1000ms\"",
            Reason.NEGATIVE_DURATION));
    PlanStage load = stage("load", "warehouse");
    load.setRetry(new RetryPolicy(3, -10_000L, 2.0, 60_000L, 0.2));
    Plan plan = plan("p", load);

    assertThat(PlanValidator.validate(plan, "code")).extracting(PlanProblem::describe).containsExactly(
        "code: stage 'load', field 'retry.backoff': a backoff must not be negative, but got \"-10000ms\"");
    // A plan stored before this check keeps running: its retries do not wait (Backoff clamps to 0).
    PlanValidator.requireRunnable(plan);
  }

  @Test
  void nullsWhereTheSchemaPromisesValuesAreReportedNotThrown() {
    PlanStage hollow = new PlanStage(null, null, null, null, null, null, null, null, null, null);
    Plan plan = new Plan(null, null, null, null, java.util.Arrays.asList(hollow, null), null,
        io.groundcontrol.schema.DuplicateStartPolicy.RETURN_EXISTING, null);

    assertThat(PlanValidator.validate(plan, "kafka"))
        .extracting(PlanProblem::stage, PlanProblem::field, PlanProblem::reason)
        .containsExactly(
            tuple(null, "name", Reason.MISSING_FIELD),
            tuple("#1", "name", Reason.MISSING_FIELD),
            tuple("#1", "component", Reason.MISSING_FIELD),
            tuple("#2", null, Reason.MISSING_FIELD));
  }

  @Test
  void paramValuesMustBeJsonText() {
    Plan plan =
        withParams(
            plan("p", withParams(stage("a", "warehouse"), Map.of("query", "select 1"))),
            new PlanParam("limit", null, "{not json"));

    assertThat(PlanValidator.validate(plan))
        .extracting(PlanProblem::describe)
        .containsExactly(
            "p@v1: field 'params.limit': default is not valid JSON text: {not json",
            "p@v1: stage 'a', field 'params.query': value is not valid JSON text: select 1");
  }

  @Test
  void paramReferencesAreFoundInsideNestedValues() {
    Plan plan =
        withParams(
            plan("p", withParams(stage("a", "warehouse"), Map.of("options", "{\"paths\":[\"x/${params.day}\"]}"))),
            new PlanParam("date", null, null));

    assertThat(PlanValidator.validate(plan))
        .extracting(PlanProblem::field, PlanProblem::reason)
        .containsExactly(tuple("params.options", Reason.UNDECLARED_PARAM));
  }

  @Test
  void declaredParamReferencesAreAccepted() {
    Plan plan =
        withParams(
            plan("p", withParams(stage("a", "warehouse"), Map.of("q", "\"${params.date} ${params.date}\""))),
            new PlanParam("date", null, null));

    assertThat(PlanValidator.validate(plan)).isEmpty();
  }

  @Test
  void paramNamesMustBeValidAndUnique() {
    Plan plan =
        withParams(
            plan("p", stage("a", "warehouse")),
            new PlanParam("date", null, null),
            new PlanParam("date", null, null),
            new PlanParam("run date", null, null));

    assertThat(PlanValidator.validate(plan))
        .extracting(PlanProblem::field, PlanProblem::reason)
        .containsExactly(tuple("params.date", Reason.DUPLICATE_PARAM), tuple("params.run date", Reason.INVALID_NAME));
  }

  @Test
  void repeatedUpstreamIsReportedOnce() {
    Plan plan = plan("p", stage("a", "warehouse"), stage("b", "warehouse", "a", "a", "a"));

    assertThat(PlanValidator.validate(plan))
        .extracting(PlanProblem::describe)
        .containsExactly("p@v1: stage 'b', field 'upstream': upstream stage 'a' is listed 3 times");
  }

  @Test
  void everySeparateCycleIsReported() {
    Plan plan =
        plan(
            "p",
            stage("a", "warehouse", "b"),
            stage("b", "warehouse", "a"),
            stage("c", "ml", "e"),
            stage("d", "ml", "c"),
            stage("e", "ml", "d", "a"));

    assertThat(PlanValidator.validate(plan))
        .extracting(PlanProblem::message)
        .containsExactly(
            "stages depend on each other in a cycle: a -> b -> a",
            "stages depend on each other in a cycle: c -> d -> e -> c");
  }

  @Test
  void cycleShownIsTheShortestThroughItsFirstStage() {
    Plan plan =
        plan(
            "p",
            stage("a", "warehouse", "d", "b"),
            stage("b", "warehouse", "a"),
            stage("c", "warehouse", "b"),
            stage("d", "warehouse", "c"));

    assertThat(PlanValidator.validate(plan))
        .extracting(PlanProblem::message)
        .containsExactly("stages depend on each other in a cycle: a -> b -> a");
  }

  @Test
  void selfDependencyIsNotAlsoReportedAsACycle() {
    Plan plan = plan("p", stage("a", "warehouse", "a"));

    assertThat(PlanValidator.validate(plan)).extracting(PlanProblem::reason).containsExactly(Reason.SELF_DEPENDENCY);
  }

  @Test
  void requireValidThrowsWithEveryProblem() {
    Plan plan = plan("P", stage("a", "Warehouse"), stage("a", "ml"));

    assertThatThrownBy(() -> PlanValidator.requireValid(plan, "kafka"))
        .isInstanceOfSatisfying(
            InvalidPlanException.class,
            error -> assertThat(error.problems())
                .extracting(PlanProblem::reason)
                .containsExactly(Reason.INVALID_NAME, Reason.INVALID_NAME, Reason.DUPLICATE_STAGE));
  }
}
