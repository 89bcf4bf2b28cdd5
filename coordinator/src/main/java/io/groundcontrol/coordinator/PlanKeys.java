package io.groundcontrol.coordinator;

/** Keys of the plans topic: a plan's name for its latest version, {@code name@version} for each version. */
public final class PlanKeys {
  /** What separates a plan's name from its version in a key; never part of a plan's name. */
  static final char VERSION_SEPARATOR = '@';

  private PlanKeys() {}

  /** The key under which one version of a plan is kept. */
  public static String versioned(String name, String version) {
    return name + VERSION_SEPARATOR + version;
  }
}
