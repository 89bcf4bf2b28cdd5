package io.groundcontrol.mission;

import java.util.Optional;

/** Finds plans by name: the latest applied version, or one exact version. */
public interface PlanLookup extends PlanVersions {
  Optional<MissionPlan> latest(String name);
}
