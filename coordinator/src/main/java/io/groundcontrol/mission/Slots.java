package io.groundcontrol.mission;

import io.groundcontrol.schema.StageQueued;
import java.time.Duration;
import java.util.Map;

/**
 * Slots of capped components, seen from a mission: a ready stage of a capped component queues for
 * a slot, and every way its attempt can end gives the slot back (or withdraws the request), so the
 * admission sub-topology's count of held slots follows the attempts really out with workers.
 *
 * <p>The admission sub-topology sends a granted attempt to its workers itself, with the grant: two
 * transactional hops from the ready stage to a worker (request, grant), not three. So a worker's
 * report may reach the mission before the grant does; it is taken as proof of the dispatch
 * ({@link #dispatchedByReport}), and the grant that follows changes nothing.
 */
final class Slots {
  private Slots() {}

  /**
   * Queues attempt {@code attempt} of a ready stage for a slot of its component, with what its RUN
   * instruction needs: the admission sub-topology sends it when it grants the slot.
   */
  static void queue(ProcessingContext context, MissionPlan plan, String stage, int attempt, Map<String, String> params) {
    String component = plan.component(stage);
    context.append(new StageQueued(stage, component, attempt));
    MissionView mission = context.mission().orElseThrow();
    context.emit(new Effect.RequestSlot(component, stage, attempt, mission.planName(), mission.priority(), params,
        plan.timeout(stage).map(Duration::toMillis).orElse(null)));
  }

  /**
   * Gives back what the stage's current attempt holds or asks for, before an event ends it: its
   * slot if it runs on a granted one, its place in the queue if it waits for one. Call it before
   * appending the event that ends the attempt, while the stage still shows how it stood.
   */
  static void release(ProcessingContext context, MissionPlan plan, StageView stage, String why) {
    if (stage.isQueued() || (stage.isActive() && stage.slotGranted())) {
      context.emit(new Effect.ReleaseSlot(plan.component(stage.name()), stage.name(), stage.attempt(), why,
          stage.isQueued()));
    }
  }

  /**
   * Records the dispatch of a queued attempt that a worker reports on before its grant came back:
   * the admission sent it with the grant, so the report proves both. Call it before deciding the
   * report, which then finds the stage DISPATCHED, holding its slot. False if it could not be
   * recorded (a param no longer resolves): the stage then failed, and the report has nothing to add.
   */
  static boolean dispatchedByReport(ProcessingContext context, MissionPlan plan, StageView stage) {
    return Progress.recordDispatch(context, plan, stage.name(), stage.attempt()).isPresent();
  }
}
