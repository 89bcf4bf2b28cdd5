package io.groundcontrol.audit;

import io.groundcontrol.coordinator.MissionStateCodec;
import io.groundcontrol.mission.ComponentLookup;
import io.groundcontrol.mission.Decision;
import io.groundcontrol.mission.InMemoryPlans;
import io.groundcontrol.mission.MissionEngine;
import io.groundcontrol.mission.TimerFired;
import io.groundcontrol.schema.MissionEvent;
import io.groundcontrol.schema.MissionState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Feeds inputs to the engine as the coordinator does (load, decide, store, set timers), keeping
 * each mission's log and state. Timers fire only when asked, as {@link #fireTimer} does for a
 * replay's {@link ReplayInput.Channel#TIMER} input.
 */
final class EngineDriver {
  private final InMemoryPlans plans;
  private final MissionEngine engine;
  private final Map<String, MissionState> store = new HashMap<>();
  private final Map<String, List<MissionEvent>> log = new HashMap<>();
  private final List<TimerFired> timers = new ArrayList<>();

  EngineDriver(InMemoryPlans plans) {
    this(plans, ComponentLookup.UNCAPPED);
  }

  /** A driver that caps the components {@code components} says are capped, as the original did. */
  EngineDriver(InMemoryPlans plans, ComponentLookup components) {
    this.plans = plans;
    this.engine = new MissionEngine(plans, components);
  }

  void input(Object input, Instant at) {
    decide(input, at);
  }

  /** Sends a recovered input, or for a timer's, fires the timer the coordinator would have fired then. */
  void replay(ReplayInput input) {
    if (input.channel() == ReplayInput.Channel.TIMER) {
      fireTimer(input.expected().get(0).getMissionId(), input.timestamp());
    } else {
      decide(input.record(), input.timestamp());
    }
  }

  /**
   * Fires the mission's pending timers in due order, at {@code at}, until one changes something:
   * the coordinator fires every due timer, and one that no longer applies leaves no event.
   *
   * @throws AssertionError if no pending timer changes anything
   */
  void fireTimer(String missionId, Instant at) {
    List<TimerFired> pending = timers.stream().filter(t -> t.missionId().equals(missionId))
        .sorted(Comparator.comparing(TimerFired::dueAt)).toList();
    for (TimerFired timer : pending) {
      timers.remove(timer);
      if (!decide(timer, at).events().isEmpty()) {
        return;
      }
    }
    throw new AssertionError("No pending timer of mission '" + missionId + "' changes anything at " + at);
  }

  private Decision decide(Object input, Instant at) {
    String id = MissionEngine.missionIdOf(input);
    Decision decision = engine.decide(MissionStateCodec.fromStored(store.get(id)), input, at);
    if (decision.changedMission()) {
      store.put(id, MissionStateCodec.toStored(decision.mission().orElseThrow()));
    }
    timers.addAll(decision.timers());
    log.computeIfAbsent(id, k -> new ArrayList<>()).addAll(decision.events());
    return decision;
  }

  List<MissionEvent> log(String missionId) {
    return log.getOrDefault(missionId, List.of());
  }

  MissionState stored(String missionId) {
    return store.get(missionId);
  }
}
