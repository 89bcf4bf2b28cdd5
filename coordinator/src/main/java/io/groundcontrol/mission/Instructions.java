package io.groundcontrol.mission;

import io.groundcontrol.schema.InstructionKind;
import io.groundcontrol.schema.StageInstruction;
import java.time.Duration;
import java.util.Map;

/** The instructions processors emit to workers: run an attempt, or stop one. */
final class Instructions {
  private Instructions() {}

  /** Tells the stage's component to run attempt {@code attempt} with {@code params}. */
  static void run(ProcessingContext context, MissionPlan plan, String stage, int attempt, Map<String, String> params) {
    Long timeoutMs = plan.timeout(stage).map(Duration::toMillis).orElse(null);
    context.emit(new Effect.Instruct(new StageInstruction(InstructionKind.RUN, context.missionId(), plan.name(), stage,
        plan.component(stage), attempt, params, context.timestamp(), timeoutMs)));
  }

  /**
   * Tells the stage's component to stop the stage's current attempt, if it has had one: the
   * coordinator or a person ended it while a worker may still run it. The worker ignores a CANCEL
   * for an attempt it does not run.
   */
  static void stop(ProcessingContext context, MissionPlan plan, StageView stage) {
    if (stage.attempt() > 0) {
      context.emit(new Effect.Instruct(new StageInstruction(InstructionKind.CANCEL, context.missionId(), plan.name(),
          stage.name(), plan.component(stage.name()), stage.attempt(), Map.of(), context.timestamp(), null)));
    }
  }
}
