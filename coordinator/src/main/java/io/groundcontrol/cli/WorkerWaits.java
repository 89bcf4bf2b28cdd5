package io.groundcontrol.cli;

import io.groundcontrol.mission.MissionView;
import io.groundcontrol.mission.StageView;
import io.groundcontrol.schema.MissionEvent;
import io.groundcontrol.schema.StageDispatched;
import io.groundcontrol.schema.StageStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Says which dispatched stages wait with no live worker of their component, e.g. {@code waiting
 * 40 s; no live worker of 'ml'}: a stage that waits in silence for workers that are gone should
 * say so where people look.
 */
final class WorkerWaits {
  private WorkerWaits() {}

  /**
   * A note per stage of {@code mission} that is dispatched, not started, and whose component has
   * no live worker.
   *
   * @param events the mission's events, for the component each stage was dispatched to
   * @param liveWorkers the live workers of the components asked for, by component
   * @param now the time to count waits to
   */
  static Map<String, String> notes(MissionView mission, List<MissionEvent> events,
      Function<Collection<String>, Map<String, List<String>>> liveWorkers, Instant now) {
    Map<String, String> components = new HashMap<>();
    for (MissionEvent event : events) {
      if (event.getEvent() instanceof StageDispatched dispatched) {
        components.put(dispatched.getStage(), dispatched.getComponent());
      }
    }
    List<? extends StageView> waiting = mission.stages().stream()
        .filter(stage -> stage.status() == StageStatus.DISPATCHED && components.containsKey(stage.name()))
        .toList();
    Map<String, String> notes = new LinkedHashMap<>();
    if (waiting.isEmpty()) {
      return notes;
    }
    Set<String> asked = waiting.stream().map(stage -> components.get(stage.name())).collect(Collectors.toSet());
    Map<String, List<String>> live = liveWorkers.apply(asked);
    for (StageView stage : waiting) {
      String component = components.get(stage.name());
      if (live.getOrDefault(component, List.of()).isEmpty()) {
        long seconds = Math.max(0, Duration.between(stage.updatedAt(), now).toSeconds());
        notes.put(stage.name(), "waiting " + seconds + " s; no live worker of '" + component + "'");
      }
    }
    return notes;
  }
}
