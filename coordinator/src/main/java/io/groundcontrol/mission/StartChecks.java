package io.groundcontrol.mission;

import io.groundcontrol.schema.RejectionReason;
import io.groundcontrol.schema.StartMission;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The checks of a start that depend only on the start, its mission id and the plan it runs: the
 * coordinator refuses a start that fails one, and the API asks them beforehand to learn whether a
 * start it need not wait for would be refused.
 */
public final class StartChecks {
  /** Why a start is refused: the reason code and the message of its {@code InputRejected}. */
  public record Refusal(RejectionReason reason, String message) {}

  /** A start checked against its plan: its params with the plan's defaults, or why it is refused. */
  record OnPlan(Map<String, String> params, Optional<Refusal> refusal) {}

  private StartChecks() {}

  /** What is wrong with the start before its plan is looked up: its mission id, the size of its params. */
  static Optional<Refusal> beforePlan(String missionId, StartMission start) {
    return MissionIds.problem(missionId).or(() -> TextLimits.paramsTooLarge(start.getParams(), ""))
        .map(problem -> new Refusal(RejectionReason.INVALID_INPUT, problem));
  }

  /** The start checked against {@code plan}, the latest version of its plan. */
  static OnPlan onPlan(MissionPlan plan, StartMission start) {
    ParamResolver.Result params = ParamResolver.resolveMissionParams(plan, start.getParams());
    if (!params.ok()) {
      return refused(RejectionReason.INVALID_INPUT,
          "Expected params that plan '" + plan.name() + "' accepts, but " + params.problem());
    }
    Optional<String> tooLarge = TextLimits.paramsTooLarge(params.params(), " once plan '" + plan.name() + "' adds its defaults");
    if (tooLarge.isPresent()) {
      return refused(RejectionReason.INVALID_INPUT, tooLarge.get());
    }
    List<String> unknown = start.getExcludedStages().stream().filter(s -> !plan.hasStage(s)).toList();
    if (!unknown.isEmpty()) {
      return refused(RejectionReason.UNKNOWN_STAGE, "Expected stages to exclude from plan '" + plan.name()
          + "', but it has no stage " + String.join(", ", unknown));
    }
    List<String> unknownStart = start.getStartFrom().stream().filter(s -> !plan.hasStage(s)).toList();
    if (!unknownStart.isEmpty()) {
      return refused(RejectionReason.UNKNOWN_STAGE, "Expected stages to start from in plan '" + plan.name()
          + "', but it has no stage " + String.join(", ", unknownStart));
    }
    return new OnPlan(params.params(), Optional.empty());
  }

  /**
   * Why the coordinator would refuse to start mission {@code missionId} with {@code start} on {@code
   * plan} if that is still the plan's latest version when it decides, or empty. It does not know
   * whether the mission exists already.
   */
  public static Optional<Refusal> refusal(String missionId, StartMission start, MissionPlan plan) {
    return beforePlan(missionId, start).or(() -> onPlan(plan, start).refusal());
  }

  private static OnPlan refused(RejectionReason reason, String message) {
    return new OnPlan(Map.of(), Optional.of(new Refusal(reason, message)));
  }
}
