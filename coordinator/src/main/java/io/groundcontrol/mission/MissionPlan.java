package io.groundcontrol.mission;

import io.groundcontrol.schema.DuplicateStartPolicy;
import io.groundcontrol.schema.ForeachPolicy;
import io.groundcontrol.schema.PlanParam;
import io.groundcontrol.schema.RetryPolicy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/** What deciding needs to know of a validated plan version. Lookups are constant time. */
public interface MissionPlan {
  String name();

  String version();

  /** Every stage, in a topological order. */
  List<String> stageNames();

  boolean hasStage(String stage);

  /** The stages without upstream, in topological order: the ones a new mission starts with. */
  List<String> roots();

  String component(String stage);

  List<String> upstream(String stage);

  List<String> downstream(String stage);

  /** The stage's params as written in the plan, values JSON text. */
  Map<String, String> stageParams(String stage);

  /** The stage's retry policy, else the plan's default, else a single attempt. */
  RetryPolicy retryPolicy(String stage);

  /**
   * Longest one attempt of the stage may run, counted from when a worker started it, else the
   * plan's default; empty for no limit.
   */
  Optional<Duration> timeout(String stage);

  /** How old a result of the same component and params the stage may reuse; empty if it never reuses. */
  Optional<Duration> reuseMaxAge(String stage);

  /**
   * Longest an attempt of the stage may wait, from its dispatch, for a worker to start it, else the
   * plan's default; empty for no limit.
   */
  Optional<Duration> startTimeout(String stage);

  /**
   * How the stage fans out in chunks, if it has {@code foreach}; empty for a stage that runs once.
   * A chunk instance ({@code score[17]}) has the settings of its plan stage, here as everywhere.
   */
  default Optional<ForeachPolicy> foreach(String stage) {
    return Optional.empty();
  }

  /** The mission inputs the plan declares. */
  List<PlanParam> declaredParams();

  /** What a start whose mission id already exists gets. */
  default DuplicateStartPolicy onDuplicate() {
    return DuplicateStartPolicy.RETURN_EXISTING;
  }

  /**
   * At most this many missions of the plan may be active at once ({@code max_active_missions});
   * empty for no limit.
   */
  default OptionalInt maxActiveMissions() {
    return OptionalInt.empty();
  }
}
