package io.groundcontrol.coordinator;

/** Keys of the plans topic: a plan's name for its latest version, {@code name@version} for each version. */
public final class PlanKeys {
  private PlanKeys() {}

  /** The key under which one version of a plan is kept. */
  public static String versioned(String name, String version) {
    return name + "@" + version;
  }
}
