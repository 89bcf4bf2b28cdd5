package io.groundcontrol.mission;

/** Finds which components have a cap on how many attempts run at once. */
@FunctionalInterface
public interface ComponentLookup {
  /** No component is capped: every ready stage is dispatched at once. */
  ComponentLookup UNCAPPED = component -> false;

  /**
   * Whether a ready stage of {@code component} must wait for a slot granted by the admission
   * sub-topology, instead of being dispatched at once.
   */
  boolean capped(String component);
}
