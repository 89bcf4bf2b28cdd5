package io.groundcontrol.api;

import io.groundcontrol.client.ComponentBoard;
import io.groundcontrol.client.StageNotes;
import io.groundcontrol.mission.MissionPlan;
import io.groundcontrol.query.MissionDocument;
import java.time.Clock;
import java.time.Duration;
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

  /**
   * How long a mission's document waits for the live workers before it goes without notes: a lookup
   * takes about 100 ms idle and up to a second under load, but 15 s to give up with Kafka away, while
   * the mission itself is read from this instance's stores and the web UI polls it every second.
   */
  static final Duration LIVE_WORKERS_WAIT = Duration.ofSeconds(2);

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
          components -> backend.components().workers().within(LIVE_WORKERS_WAIT)
              .orElseThrow(() -> new LiveWorkersLate(mission.missionId()))
              .of(components),
          () -> new ComponentBoard(backend.queries().componentSettings(), backend.components().statuses().all()),
          clock.instant()));
    } catch (LiveWorkersLate e) {
      LOG.debug(e.getMessage());
      return mission;
    } catch (RuntimeException e) {
      LOG.warn("Could not tell why the stages of mission '{}' wait: {}", mission.missionId(), e.toString());
      return mission;
    }
  }

  /** The live workers were not known in time; the mission shows without its notes this time. */
  private static final class LiveWorkersLate extends RuntimeException {
    LiveWorkersLate(String missionId) {
      super("No notes for mission '" + missionId + "': Kafka did not tell its components' live workers within "
          + LIVE_WORKERS_WAIT.toSeconds() + " s", null, false, false);
    }
  }
}
