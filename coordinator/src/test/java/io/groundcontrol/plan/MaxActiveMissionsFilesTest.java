package io.groundcontrol.plan;

import static io.groundcontrol.plan.TestPlans.problemsOfYaml;
import static io.groundcontrol.plan.TestPlans.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.plan.PlanProblem.Reason;
import io.groundcontrol.schema.Plan;
import org.junit.jupiter.api.Test;

/** {@code max_active_missions} in a plan file: read, checked, written back, part of the version. */
class MaxActiveMissionsFilesTest {
  private static final String PLAN = "name: nightly\nstages:\n  - {name: load, component: sql}\n";

  @Test
  void aLimitIsReadAndChangesTheVersion() {
    Plan limited = yaml(PLAN + "max_active_missions: 2\n");
    Plan unlimited = yaml(PLAN);

    assertThat(limited.getMaxActiveMissions()).isEqualTo(2);
    assertThat(unlimited.getMaxActiveMissions()).isNull();
    assertThat(limited.getVersion()).isNotEqualTo(unlimited.getVersion());
    assertThat(yaml(PLAN + "max_active_missions: 3\n").getVersion()).isNotEqualTo(limited.getVersion());
  }

  @Test
  void zeroOrLessIsRefusedSayingWhatIsExpected() {
    assertThat(problemsOfYaml(PLAN + "max_active_missions: 0\n"))
        .singleElement()
        .satisfies(problem -> {
          assertThat(problem.reason()).isEqualTo(Reason.INVALID_POLICY);
          assertThat(problem.describe()).isEqualTo("test.yaml: field 'max_active_missions': expected a whole number of at "
              + "least 1 (1: never two missions of the plan at once), but got 0; leave it out for no limit");
        });
  }

  @Test
  void aValueThatIsNotAWholeNumberIsRefusedOnce() {
    assertThat(problemsOfYaml(PLAN + "max_active_missions: two\n"))
        .singleElement()
        .satisfies(problem -> {
          assertThat(problem.reason()).isEqualTo(Reason.WRONG_TYPE);
          assertThat(problem.describe()).isEqualTo("test.yaml: field 'max_active_missions': expected a whole number of at "
              + "least 1 (1: never two missions of the plan at once), but got a string");
        });
    assertThat(problemsOfYaml(PLAN + "max_active_missions: 1.5\n")).singleElement()
        .satisfies(problem -> assertThat(problem.message()).endsWith("but got a number (1.5)"));
  }

  @Test
  void theWrittenPlanKeepsTheLimit() {
    Plan limited = yaml(PLAN + "max_active_missions: 1\n");

    assertThat(PlanWriter.toTree(limited).get("max_active_missions").intValue()).isEqualTo(1);
  }
}
