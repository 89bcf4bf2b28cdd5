package io.groundcontrol.mission;

import io.groundcontrol.schema.MissionStatus;
import io.groundcontrol.schema.SlotGrant;
import java.util.Optional;

/**
 * Dispatches a queued attempt once the admission sub-topology granted it a slot. A grant that
 * comes too late (the stage was skipped, failed or its mission cancelled meanwhile) is handed back
 * at once, so no slot is held by an attempt that will never run.
 */
final class SlotGrantProcessor implements InputProcessor<SlotGrant, SlotGrant> {
  @Override
  public void process(SlotGrant grant, SlotGrant same, ProcessingContext context) {
    Optional<StageView> stage = context.mission()
        .filter(m -> m.status() == MissionStatus.RUNNING)
        .flatMap(m -> m.stage(grant.getStage()))
        .filter(s -> s.isQueued() && s.attempt() == grant.getAttempt());
    if (stage.isPresent()) {
      Progress.send(context, context.missionPlan(), grant.getStage(), grant.getAttempt());
    } else {
      context.emit(new Effect.ReleaseSlot(grant.getComponent(), grant.getStage(), grant.getAttempt(),
          "granted after the attempt was withdrawn"));
    }
  }
}
