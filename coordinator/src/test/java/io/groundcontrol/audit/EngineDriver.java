package io.groundcontrol.audit;

import io.groundcontrol.coordinator.MissionStateCodec;
import io.groundcontrol.mission.Decision;
import io.groundcontrol.mission.InMemoryPlans;
import io.groundcontrol.mission.MissionEngine;
import io.groundcontrol.schema.MissionEvent;
import io.groundcontrol.schema.MissionState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Feeds inputs to the engine as the coordinator does (load, decide, store), keeping each mission's log and state. */
final class EngineDriver {
  private final MissionEngine engine;
  private final Map<String, MissionState> store = new HashMap<>();
  private final Map<String, List<MissionEvent>> log = new HashMap<>();

  EngineDriver(InMemoryPlans plans) {
    this.engine = new MissionEngine(plans);
  }

  void input(Object input, Instant at) {
    String id = MissionEngine.missionIdOf(input);
    Decision decision = engine.decide(MissionStateCodec.fromStored(store.get(id)), input, at);
    if (decision.changedMission()) {
      store.put(id, MissionStateCodec.toStored(decision.mission().orElseThrow()));
    }
    log.computeIfAbsent(id, k -> new ArrayList<>()).addAll(decision.events());
  }

  List<MissionEvent> log(String missionId) {
    return log.getOrDefault(missionId, List.of());
  }

  MissionState stored(String missionId) {
    return store.get(missionId);
  }
}
