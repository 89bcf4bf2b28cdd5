package io.groundcontrol.plan;

import static io.groundcontrol.plan.TestPlans.plan;
import static io.groundcontrol.plan.TestPlans.problemsOfYaml;
import static io.groundcontrol.plan.TestPlans.stage;
import static io.groundcontrol.plan.TestPlans.withParams;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.groundcontrol.plan.PlanProblem.Reason;
import io.groundcontrol.schema.Plan;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code ${stages.STAGE.outputs.NAME}} references: only to stages upstream, with precise errors. */
class OutputReferenceChecksTest {

  @Test
  void referencesToDirectAndTransitiveUpstreamStagesAreValid() {
    Plan plan = plan("p",
        stage("extract", "warehouse"),
        stage("clean", "warehouse", "extract"),
        withParams(stage("load", "warehouse", "clean"), Map.of(
            "table", "\"${stages.extract.outputs.table}\"",
            "query", "\"select * from ${stages.clean.outputs.table} where n > ${stages.extract.outputs.rows}\"")));

    assertThat(PlanValidator.validate(plan)).isEmpty();
  }

  @Test
  void aStageThatIsNotUpstreamIsNamedWithTheFix() {
    Plan plan = plan("p",
        stage("extract", "warehouse"),
        stage("report", "warehouse", "extract"),
        withParams(stage("load", "warehouse", "extract"), Map.of("source", "\"${stages.report.outputs.table}\"")));

    assertThat(PlanValidator.validate(plan, "plans/p.yaml")).extracting(PlanProblem::describe).containsExactly(
        "plans/p.yaml: stage 'load', field 'params.source': stage 'report' is not upstream of 'load', so its outputs"
            + " may not exist when 'load' runs: add 'report' to upstream, directly or through another stage"
            + " (${stages.report.outputs.table})");
  }

  @Test
  void aDownstreamStageIsNotUpstream() {
    Plan plan = plan("p",
        withParams(stage("extract", "warehouse"), Map.of("x", "\"${stages.load.outputs.rows}\"")),
        stage("load", "warehouse", "extract"));

    assertThat(PlanValidator.validate(plan)).extracting(PlanProblem::stage, PlanProblem::reason)
        .containsExactly(tuple("extract", Reason.NOT_UPSTREAM));
  }

  @Test
  void unknownStageSuggestsTheClosestNameAndListsTheUpstream() {
    Plan plan = plan("p",
        stage("extract", "warehouse"),
        withParams(stage("load", "warehouse", "extract"), Map.of("t", "{\"from\": [\"${stages.extrakt.outputs.t}\"]}")));

    assertThat(PlanValidator.validate(plan)).extracting(PlanProblem::field, PlanProblem::reason, PlanProblem::message)
        .containsExactly(tuple("params.t", Reason.UNKNOWN_STAGE,
            "unknown stage 'extrakt' in ${stages.extrakt.outputs.t} (upstream: extract); did you mean 'extract'?"));
  }

  @Test
  void ownOutputsAndMalformedReferencesAreReportedOnceEach() {
    Plan plan = plan("p", withParams(stage("a", "warehouse"), Map.of(
        "own", "\"${stages.a.outputs.x} ${stages.a.outputs.x}\"",
        "bad", "\"${stages.a.x}\"")));

    assertThat(PlanValidator.validate(plan)).extracting(PlanProblem::field, PlanProblem::reason, PlanProblem::message)
        .containsExactlyInAnyOrder(
            tuple("params.own", Reason.NOT_UPSTREAM, "a stage cannot use its own outputs: ${stages.a.outputs.x}"),
            tuple("params.bad", Reason.MALFORMED_REFERENCE,
                "expected a reference of the form ${stages.STAGE.outputs.NAME}, but got ${stages.a.x}"));
  }

  @Test
  void stageNamesWithDotsAndOutputNamesWithDotsResolve() {
    Plan plan = plan("p",
        stage("v1.extract", "warehouse"),
        withParams(stage("load", "warehouse", "v1.extract"), Map.of("t", "\"${stages.v1.extract.outputs.a.b}\"")));

    assertThat(PlanValidator.validate(plan)).isEmpty();
  }

  @Test
  void aPlanFileNamesFileStageAndField() {
    assertThat(problemsOfYaml("""
        name: p
        stages:
          - name: extract
            component: warehouse
          - name: load
            component: warehouse
            params: { table: "${stages.extract.outputs.table}" }
        """)).extracting(PlanProblem::describe).containsExactly(
        "test.yaml: stage 'load', field 'params.table': stage 'extract' is not upstream of 'load', so its outputs"
            + " may not exist when 'load' runs: add 'extract' to upstream, directly or through another stage"
            + " (${stages.extract.outputs.table})");
  }
}
