package io.groundcontrol.plan;

import io.groundcontrol.schema.Plan;
import io.groundcontrol.schema.PlanParam;
import io.groundcontrol.schema.PlanStage;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Null-safe reads of the Avro plan classes. A plan read from Kafka, or built by hand, may hold nulls
 * where the schema promises lists and maps, and the validator must report on it rather than fail.
 */
final class PlanStages {
  private PlanStages() {}

  static List<PlanStage> of(Plan plan) {
    return plan.getStages() == null ? List.of() : plan.getStages();
  }

  static List<PlanParam> params(Plan plan) {
    return plan.getParams() == null ? List.of() : plan.getParams();
  }

  /** The upstream entries, without nulls. */
  static List<String> upstream(PlanStage stage) {
    return stage == null || stage.getUpstream() == null
        ? List.of()
        : stage.getUpstream().stream().filter(Objects::nonNull).toList();
  }

  static Map<String, String> params(PlanStage stage) {
    return stage == null || stage.getParams() == null ? Map.of() : stage.getParams();
  }
}
