package io.groundcontrol.plan;

import static io.groundcontrol.plan.TestPlans.problemsOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.groundcontrol.plan.PlanProblem.Reason;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One bad plan file each, under {@code src/test/resources/plans}, and what reading it reports. */
class BadPlanFilesTest {

  @Test
  void cycleIsSpelledOutFromTheStageThatComesFirst() {
    assertThat(problemsOf("cycle.yaml"))
        .singleElement()
        .satisfies(problem -> {
          assertThat(problem.reason()).isEqualTo(Reason.CYCLE);
          assertThat(problem.stage()).isEqualTo("extract");
          assertThat(problem.field()).isEqualTo("upstream");
          assertThat(problem.message()).contains("extract -> clean -> extract");
        });
  }

  @Test
  void unknownUpstreamListsTheOtherStages() {
    assertThat(problemsOf("unknown-upstream.yaml"))
        .singleElement()
        .satisfies(problem -> {
          assertThat(problem.reason()).isEqualTo(Reason.UNKNOWN_UPSTREAM);
          assertThat(problem.describe())
              .isEqualTo(
                  "plans/unknown-upstream.yaml: stage 'clean', field 'upstream': "
                      + "unknown upstream stage 'extrakt' (known: extract, load)");
        });
  }

  @Test
  void duplicateStageNameIsReportedOnceWithItsPositions() {
    assertThat(problemsOf("duplicate-stage.yaml"))
        .singleElement()
        .satisfies(problem -> {
          assertThat(problem.reason()).isEqualTo(Reason.DUPLICATE_STAGE);
          assertThat(problem.describe())
              .isEqualTo(
                  "plans/duplicate-stage.yaml: stage 'load', field 'name': "
                      + "duplicate stage name 'load' (stages #2, #3)");
        });
  }

  @Test
  void planWithoutStagesIsRejected() {
    assertThat(problemsOf("no-stages.yaml"))
        .singleElement()
        .satisfies(problem -> {
          assertThat(problem.reason()).isEqualTo(Reason.NO_STAGES);
          assertThat(problem.describe())
              .isEqualTo("plans/no-stages.yaml: field 'stages': a plan needs at least one stage");
        });
  }

  @Test
  void componentNameMustBeUsableInATopicName() {
    assertThat(problemsOf("bad-component.yaml"))
        .singleElement()
        .satisfies(problem -> {
          assertThat(problem.reason()).isEqualTo(Reason.INVALID_NAME);
          assertThat(problem.stage()).isEqualTo("extract");
          assertThat(problem.field()).isEqualTo("component");
          assertThat(problem.message()).startsWith("invalid component name 'Big Query': use lower-case letters");
        });
  }

  @Test
  void unreadableYamlNamesTheFileAndLine() {
    assertThat(problemsOf("unreadable.yaml"))
        .singleElement()
        .satisfies(problem -> {
          assertThat(problem.reason()).isEqualTo(Reason.UNREADABLE);
          assertThat(problem.source()).isEqualTo("plans/unreadable.yaml");
          assertThat(problem.message()).startsWith("unreadable YAML at line 5, column 4: ").doesNotContain("\n");
        });
  }

  @Test
  void unreadableJsonNamesTheFileAndLine() {
    assertThat(problemsOf("unreadable.json"))
        .singleElement()
        .satisfies(problem -> {
          assertThat(problem.reason()).isEqualTo(Reason.UNREADABLE);
          assertThat(problem.describe()).startsWith("plans/unreadable.json: unreadable JSON at line 4, column ");
        });
  }

  @Test
  void missingRequiredFieldIsNamed() {
    assertThat(problemsOf("missing-field.yaml"))
        .singleElement()
        .satisfies(problem -> {
          assertThat(problem.reason()).isEqualTo(Reason.MISSING_FIELD);
          assertThat(problem.describe())
              .isEqualTo(
                  "plans/missing-field.yaml: stage 'extract', field 'component': "
                      + "missing required field 'component'");
        });
  }

  @Test
  void unknownFieldSuggestsTheClosestKnownOne() {
    assertThat(problemsOf("unknown-field.yaml"))
        .singleElement()
        .satisfies(problem -> {
          assertThat(problem.reason()).isEqualTo(Reason.UNKNOWN_FIELD);
          assertThat(problem.describe())
              .isEqualTo("plans/unknown-field.yaml: stage 'load': unknown field 'upstreams'; did you mean 'upstream'?");
        });
  }

  @Test
  void referenceToUndeclaredParamIsReportedWithTheDeclaredOnes() {
    assertThat(problemsOf("undeclared-param.yaml"))
        .singleElement()
        .satisfies(problem -> {
          assertThat(problem.reason()).isEqualTo(Reason.UNDECLARED_PARAM);
          assertThat(problem.describe())
              .isEqualTo(
                  "plans/undeclared-param.yaml: stage 'extract', field 'params.query': "
                      + "undeclared param 'dat' in ${params.dat} (declared: date); did you mean 'date'?");
        });
  }

  @Test
  void aMisspeltReferenceIsReportedWithStageFieldAndText() {
    List<PlanProblem> problems = TestPlans.problemsOfYaml("""
        name: p
        params: { x: { default: 1 } }
        stages:
          - name: a
            component: sql
          - name: b
            component: sql
            upstream: [a]
            params:
              q: "day = '${param.x}' and t = ${stage.a.outputs.t}"
              nested: { list: ["${ params.x }", "${params}"] }
              home: "${HOME}"
        """);

    assertThat(problems).extracting(PlanProblem::reason).containsOnly(Reason.UNKNOWN_REFERENCE);
    assertThat(problems).extracting(PlanProblem::describe).containsExactly(
        "test.yaml: stage 'b', field 'params.q': unknown reference '${param.x}'; expected ${params.NAME},"
            + " ${stages.STAGE.outputs.NAME}, ${chunk.items} or ${chunk.index} (write $${ for a literal ${)",
        "test.yaml: stage 'b', field 'params.q': unknown reference '${stage.a.outputs.t}'; expected ${params.NAME},"
            + " ${stages.STAGE.outputs.NAME}, ${chunk.items} or ${chunk.index} (write $${ for a literal ${)",
        "test.yaml: stage 'b', field 'params.nested': unknown reference '${ params.x }'; expected ${params.NAME},"
            + " ${stages.STAGE.outputs.NAME}, ${chunk.items} or ${chunk.index} (write $${ for a literal ${)",
        "test.yaml: stage 'b', field 'params.nested': unknown reference '${params}'; expected ${params.NAME},"
            + " ${stages.STAGE.outputs.NAME}, ${chunk.items} or ${chunk.index} (write $${ for a literal ${)",
        "test.yaml: stage 'b', field 'params.home': unknown reference '${HOME}'; expected ${params.NAME},"
            + " ${stages.STAGE.outputs.NAME}, ${chunk.items} or ${chunk.index} (write $${ for a literal ${)");
  }

  @Test
  void stageCannotDependOnItself() {
    assertThat(problemsOf("self-dependency.yaml"))
        .singleElement()
        .satisfies(problem -> {
          assertThat(problem.reason()).isEqualTo(Reason.SELF_DEPENDENCY);
          assertThat(problem.describe())
              .isEqualTo(
                  "plans/self-dependency.yaml: stage 'extract', field 'upstream': "
                      + "a stage cannot list itself as upstream");
        });
  }

  @Test
  void valuesOfTheWrongTypeAreReportedOnceEach() {
    assertThat(problemsOf("wrong-types.yaml"))
        .extracting(PlanProblem::describe)
        .containsExactly(
            "plans/wrong-types.yaml: field 'name': expected a string, but got a list",
            "plans/wrong-types.yaml: stage 'extract', field 'component': "
                + "expected a string, but got a number (42); quote it to make it a string",
            "plans/wrong-types.yaml: stage 'extract', field 'upstream': "
                + "expected a list of stage names, but got a string; write [load]",
            "plans/wrong-types.yaml: stage '#2': expected a mapping with 'name' and 'component', but got a string",
            "plans/wrong-types.yaml: stage 'load', field 'params': "
                + "expected a mapping from param name to value, but got a list");
  }

  @Test
  void everyProblemIsReportedAtOnceInPlanOrder() {
    List<PlanProblem> problems = problemsOf("many-problems.yaml");

    assertThat(problems)
        .extracting(PlanProblem::stage, PlanProblem::reason)
        .containsExactly(
            tuple(null, Reason.UNKNOWN_FIELD),
            tuple(null, Reason.INVALID_NAME),
            tuple("extract", Reason.SELF_DEPENDENCY),
            tuple("clean", Reason.UNKNOWN_FIELD),
            tuple("clean", Reason.MISSING_FIELD),
            tuple("clean", Reason.UNKNOWN_UPSTREAM),
            tuple("clean", Reason.DUPLICATE_UPSTREAM),
            tuple("train", Reason.INVALID_NAME),
            tuple("train", Reason.UNDECLARED_PARAM),
            tuple("train", Reason.CYCLE));
  }

  @Test
  void exceptionMessageListsEveryProblemOnItsOwnLine() {
    assertThatThrownBy(() -> TestPlans.read("many-problems.yaml"))
        .isInstanceOf(InvalidPlanException.class)
        .hasMessageStartingWith(
            "Expected a valid plan in plans/many-problems.yaml, but found 10 problems:\n"
                + "  plans/many-problems.yaml: ")
        .hasMessageContaining("\n  plans/many-problems.yaml: stage 'train', field 'upstream': "
            + "stages depend on each other in a cycle: train -> publish -> train")
        .satisfies(error -> assertThat(error.getMessage().lines()).hasSize(11));
  }
}
