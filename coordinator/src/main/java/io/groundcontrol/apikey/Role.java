package io.groundcontrol.apikey;

import io.groundcontrol.schema.ApiRole;

/** What a key may do; each role may do everything the roles before it may. */
public enum Role {
  /** Reads plans, missions, events, outputs, dead letters and metrics. */
  VIEWER,
  /** Also starts, cancels and operates missions and their stages. */
  OPERATOR,
  /** Also applies plans. */
  ADMIN;

  /** Whether this role may do what {@code needed} may. */
  public boolean allows(Role needed) {
    return ordinal() >= needed.ordinal();
  }

  public static Role of(ApiRole stored) {
    return valueOf(stored.name());
  }

  public ApiRole stored() {
    return ApiRole.valueOf(name());
  }
}
