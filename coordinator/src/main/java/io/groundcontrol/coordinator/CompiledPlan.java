package io.groundcontrol.coordinator;

import io.groundcontrol.mission.MissionPlan;
import io.groundcontrol.plan.PlanGraph;
import io.groundcontrol.schema.Plan;
import io.groundcontrol.schema.PlanParam;
import io.groundcontrol.schema.PlanStage;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A stored plan version as deciding sees it: its graph plus the params of each stage. Immutable. */
public final class CompiledPlan implements MissionPlan {
  private final Plan plan;
  private final PlanGraph graph;
  private final Map<String, Map<String, String>> stageParams = new HashMap<>();

  private CompiledPlan(Plan plan) {
    this.plan = plan;
    this.graph = PlanGraph.of(plan);
    for (PlanStage stage : plan.getStages()) {
      stageParams.put(stage.getName(), Map.copyOf(stage.getParams()));
    }
  }

  /**
   * Compiles a plan.
   *
   * @throws io.groundcontrol.plan.InvalidPlanException if the plan is not valid
   */
  public static CompiledPlan of(Plan plan) {
    return new CompiledPlan(plan);
  }

  @Override
  public String name() {
    return plan.getName();
  }

  @Override
  public String version() {
    return plan.getVersion();
  }

  @Override
  public List<String> stageNames() {
    return graph.topologicalOrder();
  }

  @Override
  public boolean hasStage(String stage) {
    return graph.contains(stage);
  }

  @Override
  public String component(String stage) {
    return graph.component(stage);
  }

  @Override
  public List<String> upstream(String stage) {
    return graph.upstream(stage);
  }

  @Override
  public List<String> downstream(String stage) {
    return graph.downstream(stage);
  }

  @Override
  public Map<String, String> stageParams(String stage) {
    return stageParams.getOrDefault(stage, Map.of());
  }

  @Override
  public List<PlanParam> declaredParams() {
    return plan.getParams();
  }
}
