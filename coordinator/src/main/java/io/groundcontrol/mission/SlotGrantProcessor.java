package io.groundcontrol.mission;

import io.groundcontrol.schema.MissionStatus;
import io.groundcontrol.schema.SlotGrant;
import java.util.Optional;

/**
 * Records the dispatch of a queued attempt once the admission sub-topology granted it a slot. The
 * admission sent the attempt to its workers with the grant ({@link SlotGrant#getInstructed()});
 * a grant from before it did asks the mission to send it. Other grants:
 *
 * <ul>
 *   <li>a worker's report overtook the grant and already recorded the dispatch (the stage holds the
 *       slot on that attempt): nothing to do, the attempt's end gives the slot back;
 *   <li>the grant comes too late (the stage was skipped, failed, or its mission cancelled
 *       meanwhile): the slot is handed back at once. The mission withdrew the request when the
 *       attempt ended, so this is a second release, which changes nothing unless the withdrawal
 *       was lost; if it was not, the admission has stopped the attempt's worker already.
 *   <li>the attempt ran on its slot and has ended, or its mission has (a cancelled mission's
 *       stages keep their status): handed back too. The attempt's end gave its slot back, so
 *       either this grant is the one a worker's reports overtook (the release changes nothing) or
 *       it answers the request read again after that release (a redelivery under at-least-once),
 *       and then the slot would stay held for ever without it.
 * </ul>
 */
final class SlotGrantProcessor implements InputProcessor<SlotGrant, SlotGrant> {
  @Override
  public void process(SlotGrant grant, SlotGrant same, ProcessingContext context) {
    if (grant.getReclaim()) {
      return; // about a lease, which the coordinator's missions partition keeps, not about the mission
    }
    Optional<MissionView> mission = context.mission();
    Optional<StageView> stage = mission.flatMap(m -> m.stage(grant.getStage()))
        .filter(s -> s.attempt() == grant.getAttempt());
    boolean running = mission.filter(m -> m.status() == MissionStatus.RUNNING).isPresent();
    if (running && stage.isPresent() && stage.get().isQueued()) {
      if (grant.getInstructed()) {
        Progress.sentWithGrant(context, context.missionPlan(), grant.getStage(), grant.getAttempt());
      } else {
        Progress.send(context, context.missionPlan(), grant.getStage(), grant.getAttempt());
      }
    } else if (stage.isEmpty() || !stage.get().slotGranted()) {
      context.emit(new Effect.ReleaseSlot(grant.getComponent(), grant.getStage(), grant.getAttempt(),
          "granted after the attempt was withdrawn", grant.getInstructed()));
    } else if (!running || !stage.get().isActive()) {
      context.emit(new Effect.ReleaseSlot(grant.getComponent(), grant.getStage(), grant.getAttempt(),
          "granted after the attempt ended", grant.getInstructed()));
    }
  }
}
