package io.groundcontrol.mission;

import io.groundcontrol.coordinator.CompiledPlan;
import io.groundcontrol.schema.Plan;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** A {@link PlanLookup} over plans applied in the test. */
public final class InMemoryPlans implements PlanLookup {
  private final Map<String, String> latest = new HashMap<>();
  private final Map<String, MissionPlan> versions = new HashMap<>();

  public InMemoryPlans apply(TestPlan plan) {
    Plan built = plan.build();
    latest.put(built.getName(), built.getVersion());
    versions.put(built.getName() + "@" + built.getVersion(), CompiledPlan.of(built));
    return this;
  }

  @Override
  public Optional<MissionPlan> latest(String name) {
    return Optional.ofNullable(latest.get(name)).flatMap(v -> version(name, v));
  }

  @Override
  public Optional<MissionPlan> version(String name, String version) {
    return Optional.ofNullable(versions.get(name + "@" + version));
  }
}
