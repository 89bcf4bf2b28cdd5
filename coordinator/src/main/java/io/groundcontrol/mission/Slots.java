package io.groundcontrol.mission;

import io.groundcontrol.schema.StageQueued;

/**
 * Slots of capped components, seen from a mission: a ready stage of a capped component queues for
 * a slot, and every way its attempt can end gives the slot back (or withdraws the request), so the
 * admission sub-topology's count of held slots follows the attempts really out with workers.
 */
final class Slots {
  private Slots() {}

  /** Queues attempt {@code attempt} of a ready stage for a slot of its component. */
  static void queue(ProcessingContext context, MissionPlan plan, String stage, int attempt) {
    String component = plan.component(stage);
    context.append(new StageQueued(stage, component, attempt));
    MissionView mission = context.mission().orElseThrow();
    context.emit(new Effect.RequestSlot(component, stage, attempt, mission.planName(), mission.priority()));
  }

  /**
   * Gives back what the stage's current attempt holds or asks for, before an event ends it: its
   * slot if it runs on a granted one, its place in the queue if it waits for one. Call it before
   * appending the event that ends the attempt, while the stage still shows how it stood.
   */
  static void release(ProcessingContext context, MissionPlan plan, StageView stage, String why) {
    if (stage.isQueued() || (stage.isActive() && stage.slotGranted())) {
      context.emit(new Effect.ReleaseSlot(plan.component(stage.name()), stage.name(), stage.attempt(), why));
    }
  }
}
