package io.groundcontrol.plan;

import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.groundcontrol.plan.PlanFiles.Format;
import io.groundcontrol.schema.Plan;
import io.groundcontrol.schema.PlanParam;
import io.groundcontrol.schema.PlanStage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Test plans: the files under {@code src/test/resources/plans}, and plans built as if read from Kafka. */
final class TestPlans {
  private TestPlans() {}

  /** The plan in {@code plans/<fileName>}, read with the source name {@code plans/<fileName>}. */
  static Plan read(String fileName) {
    return PlanFiles.parse(text(fileName), "plans/" + fileName, Format.forFileName(fileName).orElseThrow());
  }

  /** The problems reading {@code plans/<fileName>} reports; fails if it reads without any. */
  static List<PlanProblem> problemsOf(String fileName) {
    InvalidPlanException rejected = catchThrowableOfType(InvalidPlanException.class, () -> read(fileName));
    if (rejected == null) {
      throw new AssertionError("Expected plans/" + fileName + " to be rejected, but it was accepted");
    }
    return rejected.problems();
  }

  /** The problems parsing YAML text reports, with the source name {@code test.yaml}. */
  static List<PlanProblem> problemsOfYaml(String yaml) {
    InvalidPlanException rejected =
        catchThrowableOfType(InvalidPlanException.class, () -> PlanFiles.parse(yaml, "test.yaml", Format.YAML));
    if (rejected == null) {
      throw new AssertionError("Expected the YAML to be rejected, but it was accepted:\n" + yaml);
    }
    return rejected.problems();
  }

  static Plan yaml(String yaml) {
    return PlanFiles.parse(yaml, "test.yaml", Format.YAML);
  }

  static String text(String fileName) {
    try (InputStream in = TestPlans.class.getResourceAsStream("/plans/" + fileName)) {
      if (in == null) {
        throw new AssertionError("Expected a test resource plans/" + fileName + ", but there is none");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A plan as the coordinator might read it from Kafka: built directly, with version "v1". */
  static Plan plan(String name, PlanStage... stages) {
    return new Plan(name, "v1", null, new ArrayList<>(), new ArrayList<>(Arrays.asList(stages)), null,
        io.groundcontrol.schema.DuplicateStartPolicy.RETURN_EXISTING, null);
  }

  static Plan withParams(Plan plan, PlanParam... params) {
    plan.setParams(new ArrayList<>(Arrays.asList(params)));
    return plan;
  }

  static PlanStage stage(String name, String component, String... upstream) {
    return new PlanStage(name, component, new ArrayList<>(Arrays.asList(upstream)), new LinkedHashMap<>(), null, null, null, null, null);
  }

  static PlanStage withParams(PlanStage stage, Map<String, String> jsonTexts) {
    stage.setParams(new LinkedHashMap<>(jsonTexts));
    return stage;
  }

  /** extract -> {clean, features} -> train -> publish, over warehouse and ml. */
  static Plan diamond() {
    return plan(
        "diamond",
        stage("extract", "warehouse"),
        stage("clean", "warehouse", "extract"),
        stage("features", "ml", "extract"),
        stage("train", "ml", "clean", "features"),
        stage("publish", "ml", "train"));
  }
}
