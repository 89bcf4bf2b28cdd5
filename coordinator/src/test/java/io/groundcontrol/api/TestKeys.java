package io.groundcontrol.api;

import io.groundcontrol.apikey.Role;
import io.groundcontrol.client.ApiKeyRegistry;
import io.groundcontrol.testing.GroundcontrolFixture;
import java.time.Clock;
import java.util.List;

/** One API key per role, created on the installation of a test ({@code test-admin}, {@code test-operator}, ...). */
record TestKeys(String admin, String operator, String viewer) {
  static TestKeys create(GroundcontrolFixture groundcontrol) {
    try (ApiKeyRegistry keys = new ApiKeyRegistry(groundcontrol.connection(), groundcontrol.topics(), Clock.systemUTC())) {
      return new TestKeys(keys.create("test-admin", Role.ADMIN), keys.create("test-operator", Role.OPERATOR),
          keys.create("test-viewer", Role.VIEWER));
    }
  }

  List<String> all() {
    return List.of(admin, operator, viewer);
  }
}
