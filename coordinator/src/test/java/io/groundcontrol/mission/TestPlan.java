package io.groundcontrol.mission;

import io.groundcontrol.schema.DuplicateStartPolicy;
import io.groundcontrol.schema.ForeachPolicy;
import io.groundcontrol.schema.Plan;
import io.groundcontrol.schema.PlanParam;
import io.groundcontrol.schema.PlanStage;
import io.groundcontrol.schema.RetryPolicy;
import io.groundcontrol.schema.ReusePolicy;
import io.groundcontrol.schema.StageDefaults;
import java.util.HashMap;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds plans for tests: {@code TestPlan.named("p").stage("b", "sql", "a")...build()}. */
public final class TestPlan {
  private final String name;
  private final List<PlanParam> params = new ArrayList<>();
  private final List<PlanStage> stages = new ArrayList<>();
  private final Map<String, RetryPolicy> retries = new HashMap<>();
  private final Map<String, Long> timeouts = new HashMap<>();
  private final Map<String, Long> reuses = new HashMap<>();
  private final Map<String, Long> startTimeouts = new HashMap<>();
  private final Map<String, ForeachPolicy> foreaches = new HashMap<>();
  private StageDefaults defaults;
  private DuplicateStartPolicy onDuplicate = DuplicateStartPolicy.RETURN_EXISTING;
  private String version = "v1";
  private Integer maxActiveMissions;

  private TestPlan(String name) {
    this.name = name;
  }

  public static TestPlan named(String name) {
    return new TestPlan(name);
  }

  /** A diamond: extract -> {clean, features} -> train -> publish, over two components. */
  public static TestPlan diamond() {
    return diamond("diamond", "warehouse", "ml");
  }

  /**
   * {@link #diamond()} named {@code name}, its warehouse stages (extract, clean, publish) on {@code
   * warehouse} and its ml stages (features, train) on {@code ml}: for tests that share an installation.
   */
  public static TestPlan diamond(String name, String warehouse, String ml) {
    return named(name)
        .stage("extract", warehouse)
        .stage("clean", warehouse, "extract")
        .stage("features", ml, "extract")
        .stage("train", ml, "clean", "features")
        .stage("publish", warehouse, "train");
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
    stages.add(new PlanStage(stage, component, List.of(upstream), new LinkedHashMap<>(stageParams), null, null, null, null, null, null));
    return this;
  }

  /** Retries for the stage last added: {@code attempts} in all, backoff doubling from {@code initialMs}, no jitter. */
  public TestPlan retry(int attempts, long initialMs) {
    retries.put(lastStage(), new RetryPolicy(attempts, initialMs, 2.0, 60_000L, 0.0));
    return this;
  }

  /** Lets the stage last added reuse a result of the same component and params up to {@code maxAgeMs} old. */
  public TestPlan reuse(long maxAgeMs) {
    reuses.put(lastStage(), maxAgeMs);
    return this;
  }

  /** Runs the stage last added in chunks of {@code chunkSize} items of {@code source}, {@code maxParallel} at once. */
  public TestPlan foreach(String source, int chunkSize, int maxParallel) {
    foreaches.put(lastStage(), new ForeachPolicy(source, chunkSize, maxParallel, null, null));
    return this;
  }

  /** Lets the foreach stage last added tolerate {@code count} chunks failed for good. */
  public TestPlan tolerateFailed(int count) {
    foreaches.get(lastStage()).setTolerateFailedCount(count);
    return this;
  }

  /** Longest one attempt of the stage last added may run. */
  public TestPlan timeout(long millis) {
    timeouts.put(lastStage(), millis);
    return this;
  }

  /** Longest an attempt of the stage last added may wait, from dispatch, for a worker to start it. */
  public TestPlan startTimeout(long millis) {
    startTimeouts.put(lastStage(), millis);
    return this;
  }

  /** The plan's default retry policy and timeout. */
  public TestPlan defaults(RetryPolicy retry, Long timeoutMs) {
    defaults = new StageDefaults(retry, timeoutMs, null);
    return this;
  }

  /** What a start of an existing mission id gets. */
  public TestPlan onDuplicate(DuplicateStartPolicy policy) {
    onDuplicate = policy;
    return this;
  }

  /** At most this many missions of the plan active at once; null for no limit. */
  public TestPlan maxActiveMissions(Integer limit) {
    maxActiveMissions = limit;
    return this;
  }

  private String lastStage() {
    return stages.get(stages.size() - 1).getName();
  }

  public Plan build() {
    List<PlanStage> built = new ArrayList<>();
    for (PlanStage stage : stages) {
      PlanStage copy = PlanStage.newBuilder(stage).build();
      copy.setRetry(retries.get(stage.getName()));
      copy.setTimeoutMs(timeouts.get(stage.getName()));
      Long reuse = reuses.get(stage.getName());
      copy.setReuse(reuse == null ? null : new ReusePolicy(reuse));
      copy.setStartTimeoutMs(startTimeouts.get(stage.getName()));
      copy.setForeach(foreaches.get(stage.getName()));
      built.add(copy);
    }
    return new Plan(name, version, null, params, built, defaults, onDuplicate, maxActiveMissions);
  }
}
