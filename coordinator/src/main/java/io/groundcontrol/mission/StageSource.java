package io.groundcontrol.mission;

import java.util.List;

/**
 * Where a {@link Mission} loaded from a store finds its stages, one at a time, so that a decision
 * reads only the stages it touches instead of the whole plan.
 */
public interface StageSource {
  /**
   * The stage called {@code name}: as stored, or {@linkplain Stage#asStarted as the start left it}
   * if the store leaves it implicit; null if the mission has no such stage.
   */
  Stage load(String name);

  /**
   * Every stage, stored or implicit, in the store's order (by name). For rare whole-mission work:
   * cancel, failure summary.
   */
  List<Stage> loadAll();
}
