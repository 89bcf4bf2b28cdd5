package io.groundcontrol.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.groundcontrol.plan.PlanProblem.Reason;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlanProblemTest {

  @Test
  void describeLeavesOutWhatIsNotKnown() {
    assertThat(new PlanProblem("f.yaml", "clean", "upstream", Reason.CYCLE, "m").describe())
        .isEqualTo("f.yaml: stage 'clean', field 'upstream': m");
    assertThat(new PlanProblem("f.yaml", "clean", null, Reason.UNKNOWN_FIELD, "m").describe())
        .isEqualTo("f.yaml: stage 'clean': m");
    assertThat(new PlanProblem("f.yaml", null, "name", Reason.MISSING_FIELD, "m").describe())
        .isEqualTo("f.yaml: field 'name': m");
    assertThat(new PlanProblem("<stdin>", null, null, Reason.UNREADABLE, "m"))
        .hasToString("<stdin>: m");
  }

  @Test
  void exceptionNeedsAProblem() {
    assertThatThrownBy(() -> new InvalidPlanException(List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Expected at least one problem to report, but got none");
  }

  @Test
  void exceptionWithOneProblemSaysSo() {
    InvalidPlanException error =
        new InvalidPlanException(List.of(new PlanProblem("f.yaml", null, "stages", Reason.NO_STAGES, "m")));

    assertThat(error).hasMessage("Expected a valid plan in f.yaml, but found 1 problem:\n  f.yaml: field 'stages': m");
  }
}
