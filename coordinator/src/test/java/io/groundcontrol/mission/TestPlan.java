package io.groundcontrol.mission;

import io.groundcontrol.schema.Plan;
import io.groundcontrol.schema.PlanParam;
import io.groundcontrol.schema.PlanStage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds plans for tests: {@code TestPlan.named("p").stage("b", "sql", "a")...build()}. */
public final class TestPlan {
  private final String name;
  private final List<PlanParam> params = new ArrayList<>();
  private final List<PlanStage> stages = new ArrayList<>();
  private String version = "v1";

  private TestPlan(String name) {
    this.name = name;
  }

  public static TestPlan named(String name) {
    return new TestPlan(name);
  }

  /** A diamond: extract -> {clean, features} -> train -> publish, over two components. */
  public static TestPlan diamond() {
    return named("diamond")
        .stage("extract", "warehouse")
        .stage("clean", "warehouse", "extract")
        .stage("features", "ml", "extract")
        .stage("train", "ml", "clean", "features")
        .stage("publish", "warehouse", "train");
  }

  public TestPlan version(String value) {
    this.version = value;
    return this;
  }

  /** A declared mission input; {@code defaultJson} null makes it required. */
  public TestPlan param(String param, String defaultJson) {
    params.add(new PlanParam(param, null, defaultJson));
    return this;
  }

  public TestPlan stage(String stage, String component, String... upstream) {
    return stage(stage, component, Map.of(), upstream);
  }

  public TestPlan stage(String stage, String component, Map<String, String> stageParams, String... upstream) {
    stages.add(new PlanStage(stage, component, List.of(upstream), new LinkedHashMap<>(stageParams), null));
    return this;
  }

  public Plan build() {
    return new Plan(name, version, null, params, stages);
  }
}
