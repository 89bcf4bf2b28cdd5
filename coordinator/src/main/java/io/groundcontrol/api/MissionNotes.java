package io.groundcontrol.api;

import io.groundcontrol.client.ComponentBoard;
import io.groundcontrol.client.StageNotes;
import io.groundcontrol.mission.MissionPlan;
import io.groundcontrol.query.MissionDocument;
import java.time.Clock;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Adds to a mission document why its stages wait ({@link StageNotes}), from what this instance
 * follows: the plan store for each stage's component, the components' consumer groups for live
 * workers, the settings and published statuses for the slots. The same notes the CLI computes
 * from the log when it cannot reach the API.
 */
final class MissionNotes {
  private static final Logger LOG = LoggerFactory.getLogger(MissionNotes.class);

  private MissionNotes() {}

  /** {@code mission} with its notes; as it is if they cannot be worked out now (a mission still shows). */
  static MissionDocument add(Backend backend, MissionDocument mission, Clock clock) {
    try {
      Optional<MissionPlan> plan = backend.queries().plan(mission.plan(), mission.planVersion());
      if (plan.isEmpty()) {
        return mission;
      }
      return mission.withNotes(StageNotes.of(mission,
          stage -> plan.get().hasStage(stage) ? Optional.of(plan.get().component(stage)) : Optional.empty(),
          components -> backend.components().workers().get().of(components),
          () -> new ComponentBoard(backend.queries().componentSettings(), backend.components().statuses().all()),
          clock.instant()));
    } catch (RuntimeException e) {
      LOG.warn("Could not tell why the stages of mission '{}' wait: {}", mission.missionId(), e.toString());
      return mission;
    }
  }
}
