package io.groundcontrol.query;

import io.groundcontrol.schema.MissionStatus;
import io.groundcontrol.schema.StageStatus;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The status the read side (API, CLI, web UI) shows for a stage: the stored one, but {@value
 * #CANCELLED} for a stage that was out (dispatched, running, queued for a slot, awaiting a retry or
 * a result) when its mission was cancelled. The cancel stopped its worker and released its slot,
 * while the stored state and the event log keep the status it had, on purpose; shown as stored, it
 * would look busy forever. Every stage document is built through here, so every reader agrees.
 */
public final class StageStatuses {
  /** What a stage cut short by its mission's cancel shows; no stored {@link StageStatus}. */
  public static final String CANCELLED = "CANCELLED";

  // The stages CancelMissionProcessor ends: their workers are told to stop, their slots given back.
  private static final Set<StageStatus> OUT = EnumSet.of(StageStatus.DISPATCHED, StageStatus.RUNNING,
      StageStatus.QUEUED, StageStatus.AWAITING_RETRY, StageStatus.AWAITING_RESULT);

  private StageStatuses() {}

  /** Every status a stage document can show: the stored ones, then {@value #CANCELLED}. */
  public static List<String> shown() {
    List<String> all = new ArrayList<>(Arrays.stream(StageStatus.values()).map(Enum::name).toList());
    all.add(CANCELLED);
    return all;
  }

  /** The status shown for a stage stored as {@code stage} in a mission that is {@code mission}. */
  public static String of(MissionStatus mission, StageStatus stage) {
    return cutShort(mission, stage) ? CANCELLED : stage.name();
  }

  /**
   * What a stage of a cancelled mission says of itself: the status it was stored with when the
   * mission was cut short, or that a WAITING one will not run; empty otherwise.
   */
  public static Optional<String> note(MissionStatus mission, StageStatus stage) {
    if (cutShort(mission, stage)) {
      return Optional.of("was " + stage.name() + " when the mission was cancelled");
    }
    if (mission == MissionStatus.CANCELLED && stage == StageStatus.WAITING) {
      return Optional.of("will not run: the mission was cancelled");
    }
    return Optional.empty();
  }

  /** Stored counts of stages by status name, counted by the status each shows in a {@code mission} mission. */
  public static Map<String, Integer> counts(MissionStatus mission, Map<String, Integer> stored) {
    Map<String, Integer> shown = new LinkedHashMap<>();
    stored.forEach((status, count) -> shown.merge(shownName(mission, status), count, Integer::sum));
    return shown;
  }

  private static String shownName(MissionStatus mission, String stored) {
    try {
      return of(mission, StageStatus.valueOf(stored));
    } catch (IllegalArgumentException unknown) {
      return stored;
    }
  }

  private static boolean cutShort(MissionStatus mission, StageStatus stage) {
    return mission == MissionStatus.CANCELLED && OUT.contains(stage);
  }
}
