package io.groundcontrol.coordinator;

import io.groundcontrol.mission.ComponentLookup;
import io.groundcontrol.schema.ComponentSettings;
import org.apache.kafka.streams.state.KeyValueStore;

/** Which components are capped, from the global components store: a cap change applies to the next ready stage. */
final class StoreComponentLookup implements ComponentLookup {
  private final KeyValueStore<String, ComponentSettings> settings;

  StoreComponentLookup(KeyValueStore<String, ComponentSettings> settings) {
    this.settings = settings;
  }

  @Override
  public boolean capped(String component) {
    ComponentSettings found = settings.get(component);
    return found != null && found.getMaxRunning() != null;
  }

  /** Whether the component's cap is 0: nothing of it may start, not even on a leased slot. */
  boolean heldAtZero(String component) {
    ComponentSettings found = settings.get(component);
    return found != null && Integer.valueOf(0).equals(found.getMaxRunning());
  }
}
