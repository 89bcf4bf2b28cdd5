package io.groundcontrol.query;

import io.groundcontrol.mission.MissionView;
import io.groundcontrol.mission.StageInstance;
import io.groundcontrol.mission.StageView;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One mission as the read side answers it: the same fields as {@code mission show --json}.
 *
 * @param params mission inputs, values as JSON text
 * @param sequence sequence of the last event applied
 * @param stale true if read from a standby copy because the owner did not answer: it may lag
 */
public record MissionDocument(
    String missionId,
    String plan,
    String planVersion,
    String status,
    String reason,
    Map<String, String> params,
    long sequence,
    String startedAt,
    String updatedAt,
    List<StageDocument> stages,
    boolean stale) {

  /**
   * The document of {@code mission}, its plan stages in the order given; chunk instances of a
   * foreach stage are summed up in their stage's {@code chunks}, not listed.
   */
  public static MissionDocument of(MissionView mission, Collection<? extends StageView> stages) {
    return new MissionDocument(mission.missionId(), mission.planName(), mission.planVersion(), mission.status().name(),
        mission.reason().orElse(null), mission.params(), mission.sequence(), mission.startedAt().toString(),
        mission.updatedAt().toString(), stages.stream().filter(stage -> !StageInstance.isChunk(stage.name()))
            .map(stage -> StageDocument.of(stage, mission.status())).toList(), false);
  }

  /** The same document marked as read from a copy that may lag. */
  MissionDocument asStale() {
    return new MissionDocument(missionId, plan, planVersion, status, reason, params, sequence, startedAt, updatedAt,
        stages, true);
  }

  /**
   * The same document with a note on each stage named in {@code notes} (why it waits, from {@link
   * io.groundcontrol.client.StageNotes}); the others keep the note they have, if any.
   */
  public MissionDocument withNotes(Map<String, String> notes) {
    return new MissionDocument(missionId, plan, planVersion, status, reason, params, sequence, startedAt, updatedAt,
        stages.stream().map(stage -> stage.withNote(notes.get(stage.name()))).toList(), stale);
  }

  /** The summary of this mission, as a list shows it. */
  public MissionSummary summary() {
    Map<String, Integer> counts = new LinkedHashMap<>();
    stages.forEach(stage -> counts.merge(stage.status(), 1, Integer::sum));
    return new MissionSummary(missionId, plan, planVersion, status, reason, startedAt, updatedAt, counts);
  }
}
