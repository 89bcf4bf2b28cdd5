package io.groundcontrol.mission;

import java.util.Optional;

/** Finds plans by name: the latest applied version, or one exact version. */
public interface PlanLookup {
  Optional<MissionPlan> latest(String name);

  Optional<MissionPlan> version(String name, String version);
}
