package io.groundcontrol.mission;

import io.groundcontrol.plan.Durations;
import io.groundcontrol.schema.MissionStatus;
import io.groundcontrol.schema.StageError;
import io.groundcontrol.schema.StageStatus;
import java.util.Optional;

/**
 * Acts on a timer that came due, if the attempt it was set for is still the stage's current one, of
 * the same mission: not one started again under the id of a mission forgotten since.
 */
final class TimerProcessor implements InputProcessor<TimerFired, TimerFired> {
  @Override
  public void process(TimerFired timer, TimerFired same, ProcessingContext context) {
    Optional<StageView> found = context.mission()
        .filter(m -> m.status() == MissionStatus.RUNNING)
        .filter(m -> !timer.setBefore(m.startedAt()))
        .flatMap(m -> m.stage(timer.stage()));
    if (found.isEmpty()) {
      return;
    }
    StageView stage = found.get();
    MissionPlan plan = context.missionPlan();
    switch (timer.kind()) {
      case RETRY -> {
        if (stage.status() == StageStatus.AWAITING_RETRY && stage.attempt() + 1 == timer.attempt()) {
          Progress.dispatch(context, plan, stage.name(), timer.attempt());
          Progress.concludeIfSettled(context, plan);
        }
      }
      case TIMEOUT -> {
        if (stage.isActive() && stage.attempt() == timer.attempt()) {
          String limit = plan.timeout(stage.name()).map(Durations::text).orElse("its timeout");
          Instructions.stop(context, plan, stage);
          Failures.failAttempt(context, plan, stage.name(), stage.attempt(),
              new StageError("timed out after " + limit + " (attempt " + stage.attempt() + ")", null, true));
        }
      }
      case START_TIMEOUT -> {
        if (stage.status() == StageStatus.DISPATCHED && stage.attempt() == timer.attempt()) {
          String limit = plan.startTimeout(stage.name()).map(Durations::text).orElse("its start timeout");
          // Not retryable, as in Temporal: a new attempt would wait in the same queue for the same workers.
          // The instruction may still wait in a worker's queue: the CANCEL keeps it from running.
          Instructions.stop(context, plan, stage);
          Failures.failAttempt(context, plan, stage.name(), stage.attempt(), new StageError(
              "no worker of '" + plan.component(stage.name()) + "' started the stage within " + limit
                  + " of its dispatch (attempt " + stage.attempt() + ")", null, false));
        }
      }
      case FORGET -> {
        // Not a stage's timer: the engine hands it to Retention.
      }
      case PLAN_WAIT -> {
        // Not a mission rule: the coordinator resubmits the parked command itself.
      }
      case LIVENESS -> {
        if (stage.status() == StageStatus.RUNNING && stage.attempt() == timer.attempt()) {
          Instructions.stop(context, plan, stage);
          Failures.failAttempt(context, plan, stage.name(), stage.attempt(), new StageError(
              "worker lost: no heartbeat from worker '" + stage.worker().orElse("?") + "' (attempt "
                  + stage.attempt() + ")", null, true));
        }
      }
    }
  }
}
