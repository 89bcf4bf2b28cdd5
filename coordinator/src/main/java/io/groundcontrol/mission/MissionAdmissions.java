package io.groundcontrol.mission;

import io.groundcontrol.schema.MissionAdmission;
import io.groundcontrol.schema.MissionWaiting;
import java.util.OptionalInt;

/**
 * The mission's side of {@code max_active_missions}: a mission of a limited plan asks the
 * mission-limits sub-topology (keyed by plan) for a place before any stage runs, waits WAITING
 * until it gets one, and gives it back however it ends. Missions of plans without a limit never
 * ask and pay no extra hop.
 */
final class MissionAdmissions {
  private MissionAdmissions() {}

  /** Whether missions of {@code plan} must be admitted before they run. */
  static boolean limited(MissionPlan plan) {
    return plan.maxActiveMissions().isPresent();
  }

  /**
   * Makes a just started or resumed mission of a limited plan wait and ask for a place; its ready
   * stages are dispatched when it is admitted. Does nothing for a plan without a limit.
   */
  static void ask(ProcessingContext context, MissionPlan plan) {
    OptionalInt limit = plan.maxActiveMissions();
    if (limit.isEmpty()) {
      return;
    }
    MissionView mission = context.mission().orElseThrow();
    int ask = mission.admissionAsk() + 1;
    context.append(new MissionWaiting("asked for admission: plan '" + plan.name() + "' allows "
        + activeMissions(limit.getAsInt()) + " at once", null, limit.getAsInt(), ask));
    context.emit(new Effect.AskAdmission(plan.name(), limit.getAsInt(), mission.priority(), ask));
  }

  /** Gives back the mission's place (or withdraws its ask) when it ends; nothing for an unlimited plan. */
  static void end(ProcessingContext context, MissionPlan plan, String why) {
    if (limited(plan)) {
      int ask = context.mission().orElseThrow().admissionAsk();
      context.emit(new Effect.EndAdmission(plan.name(), plan.maxActiveMissions().getAsInt(), why, ask));
    }
  }

  /**
   * Gives back the place {@code admitted} took for an ask the mission no longer waits on: it has
   * ended, or asked anew since.
   */
  static void handBack(ProcessingContext context, MissionAdmission admitted, String why) {
    context.emit(new Effect.EndAdmission(admitted.getPlanName(), admitted.getLimit(), why, admitted.getAsk()));
  }

  /** What {@code mission show} says of a mission the plan's limit holds back. */
  static String waitingReason(String plan, int active, Integer limit) {
    return active + " of " + (limit == null ? "?" : limit) + " active missions of plan '" + plan + "'";
  }

  private static String activeMissions(int limit) {
    return limit == 1 ? "1 active mission" : limit + " active missions";
  }
}
