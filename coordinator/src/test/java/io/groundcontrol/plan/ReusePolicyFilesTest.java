package io.groundcontrol.plan;

import static io.groundcontrol.plan.TestPlans.problemsOfYaml;
import static io.groundcontrol.plan.TestPlans.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.schema.Plan;
import io.groundcontrol.schema.ReusePolicy;
import org.junit.jupiter.api.Test;

/** {@code reuse: {max_age: ...}} in plan files. */
class ReusePolicyFilesTest {
  private static String plan(String stageExtra) {
    return "name: p\nstages:\n  - name: extract\n    component: sql\n" + stageExtra;
  }

  @Test
  void maxAgeIsADuration() {
    Plan plan = yaml(plan("    reuse: { max_age: 60m }\n"));

    assertThat(plan.getStages().get(0).getReuse()).isEqualTo(new ReusePolicy(3_600_000L));
  }

  @Test
  void reuseCountsInTheVersionAndSurvivesAWriteAndRead() {
    Plan plain = yaml(plan(""));
    Plan reusing = yaml(plan("    reuse: { max_age: 60m }\n"));

    assertThat(reusing.getVersion()).isNotEqualTo(plain.getVersion());
    assertThat(yaml(PlanFiles.toYaml(reusing)).getStages().get(0).getReuse()).isEqualTo(new ReusePolicy(3_600_000L));
    assertThat(yaml(PlanFiles.toYaml(reusing)).getVersion()).isEqualTo(reusing.getVersion());
  }

  @Test
  void badReusePoliciesAreReportedWithStageAndField() {
    assertThat(problemsOfYaml(plan("    reuse: 60m\n"))).extracting(PlanProblem::describe).containsExactly(
        "test.yaml: stage 'extract', field 'reuse': expected a mapping with 'max_age', like {max_age: 60m}, but got \"60m\"");
    assertThat(problemsOfYaml(plan("    reuse: { max_age: soon }\n"))).extracting(PlanProblem::describe).containsExactly(
        "test.yaml: stage 'extract', field 'reuse.max_age': expected a duration like 500ms, 30s, 5m, 2h, 1d or PT30S,"
            + " but got \"soon\"");
    assertThat(problemsOfYaml(plan("    reuse: { max_age: 0s }\n"))).extracting(PlanProblem::describe).containsExactly(
        "test.yaml: stage 'extract', field 'reuse.max_age': max_age must be longer than zero");
    assertThat(problemsOfYaml(plan("    reuse: { max_age: 1h, max_ag: 2h }\n"))).extracting(PlanProblem::describe)
        .containsExactly("test.yaml: stage 'extract', field 'reuse': unknown field 'max_ag'; did you mean 'max_age'?");
  }
}
