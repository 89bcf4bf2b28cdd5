package io.groundcontrol.plan;

import static io.groundcontrol.plan.TestPlans.problemsOfYaml;
import static io.groundcontrol.plan.TestPlans.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.schema.ForeachPolicy;
import io.groundcontrol.schema.Plan;
import org.junit.jupiter.api.Test;

/** {@code foreach}, {@code chunk_size}, {@code max_parallel} and {@code tolerate_failed} in plan files. */
class ForeachFilesTest {
  private static String plan(String scoreExtra) {
    return "name: p\nparams:\n  ids: {default: [1, 2, 3]}\nstages:\n  - name: list_ids\n    component: sql\n"
        + "  - name: score\n    component: ml\n    upstream: [list_ids]\n    params: {ids: \"${chunk.items}\"}\n"
        + scoreExtra
        + "  - name: publish\n    component: sql\n    upstream: [score]\n    params: {counts: \"${stages.score.outputs.n}\"}\n";
  }

  private static String describe(String scoreExtra) {
    return String.join("\n", problemsOfYaml(plan(scoreExtra)).stream().map(PlanProblem::describe).toList());
  }

  @Test
  void aForeachStageReadsItsChunkSettings() {
    Plan plan = yaml(plan("    foreach: \"${stages.list_ids.outputs.ids}\"\n    chunk_size: 100\n    max_parallel: 20\n"
        + "    tolerate_failed: 2%\n"));

    assertThat(plan.getStages().get(1).getForeach())
        .isEqualTo(new ForeachPolicy("${stages.list_ids.outputs.ids}", 100, 20, null, 2.0));
  }

  @Test
  void chunkSettingsHaveDefaultsAndACountIsAToleranceToo() {
    Plan plan = yaml(plan("    foreach: \"${params.ids}\"\n    tolerate_failed: 3\n"));

    assertThat(plan.getStages().get(1).getForeach()).isEqualTo(new ForeachPolicy("${params.ids}", 1, 10, 3, null));
  }

  @Test
  void foreachCountsInTheVersionAndSurvivesAWriteAndRead() {
    Plan fanned = yaml(plan("    foreach: \"${params.ids}\"\n    chunk_size: 2\n    tolerate_failed: 5%\n"));
    Plan plain = yaml(plan("    foreach: \"${params.ids}\"\n    chunk_size: 3\n    tolerate_failed: 5%\n"));

    assertThat(fanned.getVersion()).isNotEqualTo(plain.getVersion());
    Plan again = yaml(PlanFiles.toYaml(fanned));
    assertThat(again.getStages().get(1).getForeach()).isEqualTo(fanned.getStages().get(1).getForeach());
    assertThat(again.getVersion()).isEqualTo(fanned.getVersion());
  }

  @Test
  void badSettingsAreReportedWithStageAndField() {
    assertThat(describe("    foreach: [1, 2]\n")).contains(
        "test.yaml: stage 'score', field 'foreach': expected a reference to a JSON array, like \"${params.ids}\" or"
            + " \"${stages.list_ids.outputs.ids}\", but got [1,2]");
    assertThat(describe("    foreach: \"ids: ${params.ids}\"\n")).isEqualTo(
        "test.yaml: stage 'score', field 'foreach': expected exactly one reference to a JSON array, ${params.NAME} or"
            + " ${stages.STAGE.outputs.NAME}, but got 'ids: ${params.ids}'");
    assertThat(describe("    foreach: \"${params.idz}\"\n")).startsWith(
        "test.yaml: stage 'score', field 'foreach': undeclared param 'idz' in ${params.idz} (declared: ids)");
    assertThat(describe("    foreach: \"${stages.publish.outputs.ids}\"\n")).startsWith(
        "test.yaml: stage 'score', field 'foreach': stage 'publish' is not upstream of 'score'");
    assertThat(describe("    foreach: \"${params.ids}\"\n    chunk_size: 0\n    max_parallel: -1\n")).isEqualTo(
        "test.yaml: stage 'score', field 'chunk_size': chunk_size must be at least 1, but is 0\n"
            + "test.yaml: stage 'score', field 'max_parallel': max_parallel must be at least 1, but is -1");
    assertThat(describe("    foreach: \"${params.ids}\"\n    chunk_size: many\n")).isEqualTo(
        "test.yaml: stage 'score', field 'chunk_size': expected a whole number, but got \"many\"");
    assertThat(describe("    foreach: \"${params.ids}\"\n    tolerate_failed: 120%\n")).isEqualTo(
        "test.yaml: stage 'score', field 'tolerate_failed': tolerate_failed must be a share between 0% and 100%, but is 120%");
    assertThat(describe("    foreach: \"${params.ids}\"\n    tolerate_failed: some\n")).isEqualTo(
        "test.yaml: stage 'score', field 'tolerate_failed': expected a number of chunks like 3, or a share like 2%,"
            + " but got \"some\"");
  }

  @Test
  void chunkSettingsAndChunkReferencesNeedForeach() {
    assertThat(describe("    chunk_size: 10\n")).isEqualTo(
        "test.yaml: stage 'score', field 'chunk_size': 'chunk_size' applies only to a stage with foreach, like"
            + " foreach: \"${params.ids}\"\n"
            + "test.yaml: stage 'score', field 'params.ids': ${chunk.items} exists only in a stage with foreach; add foreach:"
            + " \"${params.NAME}\" to the stage");
    assertThat(describe("    foreach: \"${params.ids}\"\n    params: {ids: \"${chunk.item}\"}\n")).isNotEmpty();
  }
}
