package io.groundcontrol.limits;

import io.groundcontrol.admission.Dispatcher;
import io.groundcontrol.admission.SortedTable;
import io.groundcontrol.schema.AdmissionEntry;
import io.groundcontrol.schema.AdmissionRequest;
import io.groundcontrol.schema.ComponentSettings;
import io.groundcontrol.schema.MissionAdmission;
import io.groundcontrol.schema.MissionAdmissionRequest;
import io.groundcontrol.schema.ReleaseSlot;
import io.groundcontrol.schema.RequestSlot;
import io.groundcontrol.schema.SlotGrant;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The active missions of plans with {@code max_active_missions}, one queue and one count per plan,
 * across every partition of the missions. Plain Java: the admission {@link Dispatcher}'s queue with
 * a plan where it has a component and a whole mission where it has an attempt, so the same rules
 * hold: a place is held from admission until the mission ends; an end of a waiting mission
 * withdraws it. Each ask of a mission is kept apart by its number (a mission asks again when it
 * waits again, after a retry), where the dispatcher has an attempt, and every answer names it: a
 * repeated ask counts once while it is known and an unknown end changes nothing, so no repeated
 * message frees a place twice. Nothing is kept of asks that ended: an ask read again after its end
 * (at-least-once) takes a place anew, which the mission, admitted on an ask it no longer waits on,
 * hands straight back. Waiting missions are admitted by priority, then in the order they asked.
 * Lowering a limit admits nothing until enough missions end; it never stops one.
 */
public final class ActiveMissions {
  /** A mission holds one place, whatever its stages: the dispatcher's stage is fixed, its attempt the ask. */
  private static final String WHOLE_MISSION = "";

  private final Dispatcher dispatcher;

  /** Over the three tables the {@link Dispatcher} keeps: entries, queue, counts. */
  public ActiveMissions(SortedTable<AdmissionEntry> entries, SortedTable<String> queue, SortedTable<Long> counts) {
    this.dispatcher = new Dispatcher(entries, queue, counts);
  }

  /**
   * Takes one ask or end of a mission of {@code request}'s plan and admits what then fits.
   *
   * @param limit the plan's {@code max_active_missions} now; null: no limit, everyone is admitted
   * @param at when the mission limits decide, stamped on every answer; the ask keeps its own time
   * @return the answers: an admission for every mission that may run now, and for an ask that
   *     must wait, a "not yet" with the count that holds it back
   */
  public List<MissionAdmission> handle(MissionAdmissionRequest request, Integer limit, Instant at) {
    String plan = request.getPlanName();
    Object action = request.getRelease()
        ? ReleaseSlot.newBuilder().setWhy(request.getWhy() == null ? "ended" : request.getWhy()).build()
        : RequestSlot.newBuilder().setPlanName(plan).setPriority(request.getPriority()).build();
    // Missions are admitted, not instructed: no request asks the queue for a RUN instruction.
    List<SlotGrant> grants = dispatcher.handle(
        new AdmissionRequest(plan, request.getMissionId(), WHOLE_MISSION, request.getAsk(), request.getAt(), action),
        settings(plan, limit), at)
        .grants();
    List<MissionAdmission> answers = admissions(plan, grants, at);
    boolean admitted = grants.stream().anyMatch(g -> g.getMissionId().equals(request.getMissionId()));
    if (!request.getRelease() && !admitted) {
      // A repeated ask of a mission already admitted would get this too; the mission, no longer
      // WAITING, ignores it.
      answers.add(new MissionAdmission(request.getMissionId(), plan, false, (int) active(plan), limit, at,
          request.getAsk()));
    }
    return answers;
  }

  /**
   * Admits waiting missions of {@code plan} while it has free places, at most {@code max}: after its
   * limit was raised or removed.
   */
  public List<MissionAdmission> admitWhatFits(String plan, Integer limit, Instant now, int max) {
    return admissions(plan, dispatcher.grantWhatFits(plan, settings(plan, limit), now, max).grants(), now);
  }

  /** The plans with an active or waiting mission. */
  public Set<String> plans() {
    return dispatcher.components();
  }

  /** Missions of {@code plan} admitted and not ended. */
  public long active(String plan) {
    return dispatcher.running(plan);
  }

  /** Missions of {@code plan} waiting for a place. */
  public long waiting(String plan) {
    return dispatcher.queued(plan);
  }

  private static ComponentSettings settings(String plan, Integer limit) {
    return new ComponentSettings(plan, limit, Map.of());
  }

  private static List<MissionAdmission> admissions(String plan, List<SlotGrant> grants, Instant at) {
    List<MissionAdmission> answers = new ArrayList<>();
    for (SlotGrant grant : grants) {
      answers.add(new MissionAdmission(grant.getMissionId(), plan, true, grant.getRunning(), grant.getMaxRunning(), at,
          grant.getAttempt()));
    }
    return answers;
  }
}
