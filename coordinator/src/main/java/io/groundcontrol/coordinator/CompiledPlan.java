package io.groundcontrol.coordinator;

import io.groundcontrol.mission.MissionPlan;
import io.groundcontrol.mission.StageInstance;
import io.groundcontrol.plan.PlanGraph;
import io.groundcontrol.schema.DuplicateStartPolicy;
import io.groundcontrol.schema.ForeachPolicy;
import io.groundcontrol.schema.Plan;
import io.groundcontrol.schema.PlanParam;
import io.groundcontrol.schema.PlanStage;
import io.groundcontrol.schema.RetryPolicy;
import io.groundcontrol.schema.StageDefaults;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A stored plan version as deciding sees it: its graph plus the params of each stage. Immutable. */
public final class CompiledPlan implements MissionPlan {
  private final Plan plan;
  private final PlanGraph graph;
  private static final RetryPolicy SINGLE_ATTEMPT = RetryPolicy.newBuilder().setMaxAttempts(1).build();

  private final Map<String, Map<String, String>> stageParams = new HashMap<>();
  private final Map<String, PlanStage> stages = new HashMap<>();

  private CompiledPlan(Plan plan) {
    this.plan = plan;
    this.graph = PlanGraph.of(plan);
    for (PlanStage stage : plan.getStages()) {
      stageParams.put(stage.getName(), Map.copyOf(stage.getParams()));
      stages.put(stage.getName(), stage);
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
  public DuplicateStartPolicy onDuplicate() {
    return plan.getOnDuplicate();
  }

  @Override
  public OptionalInt maxActiveMissions() {
    return plan.getMaxActiveMissions() == null ? OptionalInt.empty() : OptionalInt.of(plan.getMaxActiveMissions());
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
  public List<String> roots() {
    return graph.roots();
  }

  @Override
  public boolean hasStage(String stage) {
    return graph.contains(stage);
  }

  @Override
  public String component(String stage) {
    return graph.component(StageInstance.planStage(stage));
  }

  @Override
  public List<String> upstream(String stage) {
    return graph.upstream(StageInstance.planStage(stage));
  }

  @Override
  public List<String> downstream(String stage) {
    return graph.downstream(StageInstance.planStage(stage));
  }

  @Override
  public Map<String, String> stageParams(String stage) {
    return stageParams.getOrDefault(StageInstance.planStage(stage), Map.of());
  }

  @Override
  public RetryPolicy retryPolicy(String stage) {
    RetryPolicy own = own(stage).getRetry();
    if (own != null) {
      return own;
    }
    StageDefaults defaults = plan.getDefaults();
    return defaults != null && defaults.getRetry() != null ? defaults.getRetry() : SINGLE_ATTEMPT;
  }

  @Override
  public Optional<Duration> timeout(String stage) {
    Long own = own(stage).getTimeoutMs();
    StageDefaults defaults = plan.getDefaults();
    Long millis = own != null ? own : defaults == null ? null : defaults.getTimeoutMs();
    return Optional.ofNullable(millis).map(Duration::ofMillis);
  }

  @Override
  public Optional<Duration> reuseMaxAge(String stage) {
    return Optional.ofNullable(own(stage).getReuse()).map(reuse -> Duration.ofMillis(reuse.getMaxAgeMs()));
  }

  @Override
  public Optional<Duration> startTimeout(String stage) {
    Long own = own(stage).getStartTimeoutMs();
    StageDefaults defaults = plan.getDefaults();
    Long millis = own != null ? own : defaults == null ? null : defaults.getStartTimeoutMs();
    return Optional.ofNullable(millis).map(Duration::ofMillis);
  }

  @Override
  public Optional<ForeachPolicy> foreach(String stage) {
    return Optional.ofNullable(own(stage).getForeach());
  }

  /** The plan stage of an instance: a chunk {@code score[17]} has the settings of {@code score}. */
  private PlanStage own(String stage) {
    return stages.get(StageInstance.planStage(stage));
  }

  @Override
  public List<PlanParam> declaredParams() {
    return plan.getParams();
  }
}
