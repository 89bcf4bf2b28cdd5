package io.groundcontrol.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.groundcontrol.apikey.ApiKeySecrets;
import io.groundcontrol.apikey.Role;
import io.groundcontrol.schema.ApiKey;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Key names identify the actor in the audit log, so no two keys may share one. */
class ApiKeyNamesTest {
  static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");

  static ApiKey key(String name, boolean revoked) {
    ApiKey key = ApiKeySecrets.issue(name, Role.OPERATOR.stored(), NOW).stored();
    key.setRevokedAt(revoked ? NOW : null);
    return key;
  }

  @Test
  void aRevokedKeysNameIsNotGivenAgain() {
    ApiKey leaked = key("ci", true);

    assertThatThrownBy(() -> ApiKeyRegistry.requireUnused(List.of(key("alice", false), leaked), "ci"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Expected a key name no key has had, but key " + leaked.getId() + " (revoked) is named 'ci'; "
            + "the audit log names a key's actions by its name, so choose another");
  }

  @Test
  void namesDifferingOnlyInCaseOrSpacesAreTheSame() {
    assertThat(ApiKeyRegistry.holder(List.of(key("Alice", false)), " alice")).isPresent();
    assertThat(ApiKeyRegistry.holder(List.of(key("alice", false)), "alice-2")).isEmpty();
  }
}
