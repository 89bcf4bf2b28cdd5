package io.groundcontrol.mission;

import java.util.Optional;

/** Finds one exact version of a plan: what a mission runs on. */
@FunctionalInterface
public interface PlanVersions {
  /** The plan {@code name} at {@code version}; empty if that version was never applied. */
  Optional<MissionPlan> version(String name, String version);
}
