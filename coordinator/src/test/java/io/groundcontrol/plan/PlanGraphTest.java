package io.groundcontrol.plan;

import static io.groundcontrol.plan.TestPlans.diamond;
import static io.groundcontrol.plan.TestPlans.plan;
import static io.groundcontrol.plan.TestPlans.stage;
import static io.groundcontrol.plan.TestPlans.withParams;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.groundcontrol.schema.Plan;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlanGraphTest {

  @Test
  void diamondHasItsNeighboursOnBothSides() {
    PlanGraph graph = PlanGraph.of(diamond());

    assertThat(graph.downstream("extract")).containsExactly("clean", "features");
    assertThat(graph.upstream("train")).containsExactly("clean", "features");
    assertThat(graph.downstream("train")).containsExactly("publish");
    assertThat(graph.downstream("publish")).isEmpty();
    assertThat(graph.component("features")).isEqualTo("ml");
  }

  @Test
  void diamondIsOrderedTopologicallyWithTiesByName() {
    PlanGraph graph = PlanGraph.of(diamond());

    assertThat(graph.topologicalOrder()).containsExactly("extract", "clean", "features", "train", "publish");
    assertThat(graph.roots()).containsExactly("extract");
    assertThat(graph.leaves()).containsExactly("publish");
    assertThat(graph.components()).containsExactly("warehouse", "ml");
  }

  @Test
  void orderOfStagesInThePlanDoesNotChangeTheGraph() {
    Plan reversed = diamond();
    Collections.reverse(reversed.getStages());

    PlanGraph graph = PlanGraph.of(reversed);

    assertThat(graph.topologicalOrder()).isEqualTo(PlanGraph.of(diamond()).topologicalOrder());
    assertThat(graph.downstream("extract")).containsExactly("clean", "features");
  }

  @Test
  void severalRootsAndLeaves() {
    PlanGraph graph =
        PlanGraph.of(plan("p", stage("b", "ml"), stage("a", "ml"), stage("c", "ml", "a", "b"), stage("d", "ml", "a")));

    assertThat(graph.roots()).containsExactly("a", "b");
    assertThat(graph.leaves()).containsExactly("c", "d");
    assertThat(graph.topologicalOrder()).containsExactly("a", "b", "c", "d");
  }

  @Test
  void stageCarriesItsParams() {
    PlanGraph graph = PlanGraph.of(plan("p", withParams(stage("a", "ml"), Map.of("limit", "10"))));

    assertThat(graph.stage("a").params()).containsEntry("limit", "10");
    assertThat(graph.stage("a").isRoot()).isTrue();
    assertThat(graph.stage("a").isLeaf()).isTrue();
  }

  @Test
  void graphDoesNotChangeWhenThePlanDoes() {
    Plan plan = diamond();
    PlanGraph graph = PlanGraph.of(plan);

    plan.getStages().get(1).setUpstream(new ArrayList<>());

    assertThat(graph.upstream("clean")).containsExactly("extract");
    assertThatThrownBy(() -> graph.downstream("extract").add("x")).isInstanceOf(UnsupportedOperationException.class);
  }

  /** Applied before such references were refused: its missions must still run, passing the text as written. */
  @Test
  void aStoredPlanWithAReferenceOfNoKnownFormStillCompiles() {
    Plan stored = plan("p", withParams(stage("a", "shell"), Map.of("script", "\"echo ${HOME}\"")));

    assertThat(PlanValidator.validate(stored)).extracting(PlanProblem::reason)
        .containsExactly(PlanProblem.Reason.UNKNOWN_REFERENCE);
    assertThat(PlanGraph.of(stored).stage("a").params()).containsEntry("script", "\"echo ${HOME}\"");
  }

  @Test
  void unknownStageIsRejectedByName() {
    PlanGraph graph = PlanGraph.of(diamond());

    assertThat(graph.contains("extract")).isTrue();
    assertThat(graph.contains("extrakt")).isFalse();
    assertThatThrownBy(() -> graph.stage("extrakt"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Expected a stage of plan 'diamond@v1', but got 'extrakt'");
  }

  @Test
  void invalidPlanIsNotCompiled() {
    Plan cyclic = plan("p", stage("a", "ml", "b"), stage("b", "ml", "a"));

    assertThatThrownBy(() -> PlanGraph.of(cyclic))
        .isInstanceOf(InvalidPlanException.class)
        .hasMessageContaining("p@v1: stage 'a', field 'upstream': stages depend on each other in a cycle: a -> b -> a");
  }
}
