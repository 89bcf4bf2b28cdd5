package io.groundcontrol.mission;

import java.util.List;

/**
 * Where a {@link Mission} loaded from a store finds its stages, one at a time, so that a decision
 * reads only the stages it touches instead of the whole plan.
 */
public interface StageSource {
  /** The stored stage called {@code name}, or null if none is stored. */
  Stage load(String name);

  /** Every stored stage, in the store's order. For rare whole-mission work: cancel, failure summary. */
  List<Stage> loadAll();
}
